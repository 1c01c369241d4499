import AdrecsDomain
import AdrecsHTTP
import AdrecsRuntime
import ArgumentParser
import IngestService

@main
struct AdrecsIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-ingest",
        abstract: "The adrecs ingest service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: IngestConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, KickCommand.self, RetractCommand.self, UploadRawCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// Runs the ingest service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ingest service until SIGTERM; configuration comes from the environment (see adrecs-ingest --help).",
        discussion: IngestConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "ingest", settings: IngestConfig.settings, build: buildIngest)
    }
}

/// Kicks a run of a date in the ledger (`DB_URL`), optionally waiting for its end.
struct KickCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kick",
        abstract: "Kick a run of a date (prints its run id); with --wait, wait for it and print each stage."
    )

    @Option(name: .long, help: "The date YYYY-MM-DD.")
    var date: String

    @Flag(name: .long, help: "Commit the day even if the writer finds it suspicious (no rows, or far fewer than recent days).")
    var force = false

    @Flag(name: .long, help: "Wait until the run succeeded or failed; exit 1 if it failed or timed out.")
    var wait = false

    @Option(name: .long, help: "Seconds to wait with --wait (default 600).")
    var timeout: Int = 600

    func validate() throws {
        try validateDate(date)
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let succeeded = try await IngestTools.kick(date: date, force: force, wait: wait, timeout: .seconds(timeout)) { print($0) }
        if !succeeded { throw ExitCode(1) }
    }
}

/// Takes a committed day back (`DB_URL`): the API stops serving it.
struct RetractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Remove a committed day (its recommendations, active advertisers and committed_days row) in one transaction; prints what was removed."
    )

    @Option(name: .long, help: "The date YYYY-MM-DD.")
    var date: String

    func validate() throws {
        try validateDate(date)
    }

    func run() async throws {
        let removed = try await IngestTools.retract(date: date)
        print("retracted \(removed.date): run \(removed.runID), \(removed.recommendationRows) recommendation rows, \(removed.advertisers) advertisers")
    }
}

/// Uploads the course's three raw files from a local folder to the raw prefix in S3.
struct UploadRawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload-raw",
        abstract: "Upload advertiser_ids, product_views and ads_views from a folder to the raw prefix (S3_*, INGEST_RAW_*)."
    )

    @Option(name: .long, help: "Folder holding advertiser_ids, product_views and ads_views (with or without .csv).")
    var input: String

    @Option(name: .long, help: "course (one object per input) or daily (raw/<date>/…, needs --date); default INGEST_RAW_LAYOUT or course.")
    var layout: String?

    @Option(name: .long, help: "The day folder for the daily layout, YYYY-MM-DD.")
    var date: String?

    func validate() throws {
        if let layout, !["course", "daily"].contains(layout) { throw ValidationError("--layout must be course or daily") }
        if let date { try validateDate(date) }
        if layout == "daily" && date == nil { throw ValidationError("--layout daily needs --date") }
    }

    func run() async throws {
        for key in try await IngestTools.uploadRaw(directory: input, layout: layout, date: date) { print(key) }
    }
}

/// Applies the database migrations (`DB_URL`, `DB_SCHEMA`) and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the PostgreSQL migrations (DB_URL, DB_SCHEMA) and exit."
    )

    func run() async throws {
        let logger = LoggingConfig().makeLogger(service: "ingest-migrate")
        let applied = try await IngestTools.migrate(logger: logger)
        print(applied.isEmpty ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}

/// Checks a `--date` option with the one date parser, so that a bad date is a usage error.
func validateDate(_ text: String) throws {
    do {
        _ = try Day(validating: text)
    } catch {
        throw ValidationError("--date: \(error)")
    }
}
