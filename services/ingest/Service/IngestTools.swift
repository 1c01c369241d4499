public import AdrecsDatabase
public import AdrecsDomain
import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsStorage
public import Configuration
import Foundation
public import Logging
public import S3Store

/// What the executable's one-shot subcommands do (`kick`, `retract`, `upload-raw`, `migrate`), callable from tests.
public enum IngestTools {
    /// Applies the migrations of `db.*` and returns the versions applied now.
    public static func migrate(reader: ConfigReader = .fromEnvironment(), logger: Logger) async throws -> [Int] {
        try await DatabaseConfig(config: reader).migrate(applicationName: "adrecs-ingest-migrate", logger: logger)
    }

    /// A ledger on `db.*` with `ledger.stale.seconds`.
    public static func ledger(reader: ConfigReader, logger: Logger) throws -> RunLedger {
        let database = try DatabaseConfig(config: reader)
        let settings = try StageSettings(config: reader)
        return RunLedger(pool: database.makePool(applicationName: "adrecs-ingest-kick"), staleAfter: settings.staleAfter, logger: logger)
    }

    /// The day of a date option (``AdrecsDomain/Day/init(validating:)``), failing as an invalid run.
    static func day(_ text: String) throws(IngestError) -> Day {
        do {
            return try Day(validating: text)
        } catch {
            throw .invalidRun(error.description)
        }
    }

    /// `adrecs-ingest kick`: kicks a run of `date` (with `force`: committed even if the writer finds
    /// the day suspicious) in the ledger of `db.*` and reports its id; with `wait`, reports each
    /// change until the run ends. Returns whether the run succeeded (`true` without `wait`).
    /// Throws `LedgerError.runInProgress` when a run of the date is active, `LedgerError.futureDate`
    /// for a date later than tomorrow (UTC).
    public static func kick(
        date: String, force: Bool = false, wait: Bool, timeout: Duration, reader: ConfigReader = .fromEnvironment(),
        report: (String) -> Void
    ) async throws -> Bool {
        let day = try Self.day(date)
        let logger = try LoggingConfig(config: reader).makeLogger(service: "ingest-kick")
        let ledger = try Self.ledger(reader: reader, logger: logger)
        let run = try await ledger.kick(date: day, force: force)
        report(run.runID)
        guard wait else { return true }
        let last = try await Self.wait(ledger: ledger, runID: run.runID, timeout: timeout, report: report)
        if last?.state != .succeeded && last?.state != .failed { report("timed out after \(timeout)") }
        return last?.state == .succeeded
    }

    /// `adrecs-ingest retract`: takes the committed day `date` back (``RunLedger/retract(date:source:)``)
    /// and returns what was removed. Throws `LedgerError.dayNotCommitted` when nothing is committed
    /// for it, `LedgerError.runInProgress` while a run of it is active.
    public static func retract(date: String, reader: ConfigReader = .fromEnvironment()) async throws -> DayRetraction {
        let day = try Self.day(date)
        let logger = try LoggingConfig(config: reader).makeLogger(service: "ingest-retract")
        return try await Self.ledger(reader: reader, logger: logger).retract(date: day, source: .cli)
    }

    /// `adrecs-ingest upload-raw`: uploads the three files of `directory` to the raw prefix of
    /// `s3.*` and `ingest.raw.*` (`layout`, when given, overrides the configured style).
    public static func uploadRaw(
        reader: ConfigReader = .fromEnvironment(), directory: String, layout style: String?, date: String?
    ) async throws -> [String] {
        let storage = try StorageConfig(config: reader)
        var layout = try RawInputLayout(config: reader)
        if let style {
            guard let parsed = RawInputLayout.Style(rawValue: style) else {
                throw IngestError.invalidRun("unknown layout '\(style)' (course or daily)")
            }
            layout.style = parsed
        }
        let day = try date.map(Self.day)
        return try await uploadRaw(client: storage.makeClient(), bucket: storage.bucket, layout: layout, directory: directory, date: day)
    }

    /// Polls `runID` until it succeeded or failed (or `timeout` passed), reporting each change of
    /// the run's or a stage's state with ``describe(_:)``. Returns the last record read.
    public static func wait(
        ledger: RunLedger, runID: String, timeout: Duration, interval: Duration = .milliseconds(250),
        report: (String) -> Void
    ) async throws -> RunRecord? {
        let deadline = ContinuousClock.now + timeout
        var last: String?
        while true {
            let run = try await ledger.run(id: runID)
            if let run {
                let text = describe(run)
                if text != last { report(text) }
                last = text
                if run.state == .succeeded || run.state == .failed { return run }
            }
            if ContinuousClock.now >= deadline { return run }
            try await Task.sleep(for: interval)
        }
    }

    /// One line for the run, then one per stage: state, counts, error.
    public static func describe(_ run: RunRecord) -> String {
        var lines = ["run \(run.runID) date \(run.date): \(run.state.rawValue)\(run.error.map { " (\($0))" } ?? "")"]
        for stage in run.stages {
            var line = "  \(stage.stage.rawValue): \(stage.state.rawValue)"
            if !stage.counts.isEmpty {
                line += " " + stage.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            }
            if let error = stage.error { line += " error: \(error)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Uploads `advertiser_ids`, `product_views` and `ads_views` (each with or without `.csv`)
    /// from `directory` to the raw keys of `layout` (for `daily`, the folder of `date`), streaming
    /// each file. Returns the keys written.
    public static func uploadRaw(
        client: S3Client, bucket: String, layout: RawInputLayout, directory: String, date: Day?
    ) async throws -> [String] {
        if layout.style == .daily && date == nil {
            throw IngestError.invalidRun("the daily layout needs a date")
        }
        if try await !client.bucketExists(bucket) { try await client.createBucket(bucket) }
        let folder = URL(fileURLWithPath: directory)
        var written: [String] = []
        for input in RawInput.allCases {
            let candidates = [input.name, input.name + ".csv"].map { folder.appendingPathComponent($0) }
            guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                throw IngestError.rawInputNotFound(key: candidates.map(\.path).joined(separator: " or "))
            }
            let key = layout.candidates(input, for: date ?? Day(year: 1970, month: 1, day: 1)!)[0]
            try await client.putObject(bucket: bucket, key: key, chunks: FileChunks(path: file.path), contentType: "text/csv")
            written.append(key)
        }
        return written
    }
}
