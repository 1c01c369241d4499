import AdrecsDatabase
import AdrecsDomain
import AdrecsRuntime
import AdrecsStorage
import AdrecsTestSupport
import AdrecsWire
import Foundation
import LibPQ
import Logging
import ModelsService
import S3Store
import Zstd
import Testing
import ZeroMQ

/// A running ``ModelsWorker`` on its own schema, bucket and ports, with the test's ends of both
/// sockets: a bound PUSH standing in for ingest and a bound PULL standing in for the writer.
struct ModelsHarness: Sendable {
    let ledger: RunLedger
    let client: S3Client
    let bucket: String
    let toModels: ZeroMQSender
    let fromModels: ZeroMQReceiver
    let worker: Task<Void, Never>

    /// Cancels the worker, as a service group does when graceful shutdown runs out of time, and waits for it.
    func stopWorker() async {
        worker.cancel()
        await worker.value
    }

    /// Sets everything up, runs `body` while the worker runs, then stops the worker and cleans up.
    static func with(_ body: @Sendable (ModelsHarness) async throws -> Void) async throws {
        let servers = try TestServers()
        let suffix = TestServers.suffix()
        let schema = "models_test_\(suffix)"
        let bucket = "adrecs-models-test-\(suffix)"
        let logger = Logger(label: "adrecs.test.models")

        let context = try ZeroMQContext()
        let push = try ZeroMQSocket(context: context, type: .push, options: ZeroMQSocketOptions(linger: .zero, sendTimeout: .seconds(5)))
        let ingestEndpoint = try push.bind("tcp://127.0.0.1:*")
        let pull = try ZeroMQSocket(context: context, type: .pull, options: ZeroMQSocketOptions(linger: .zero))
        let writerEndpoint = try pull.bind("tcp://127.0.0.1:*")
        let reader = servers.reader(schema: schema, bucket: bucket, [
            "messaging.models.endpoint": ingestEndpoint, "messaging.writer.endpoint": writerEndpoint,
            "messaging.send.timeout.ms": "2000",
        ])
        let config = try ModelsConfig(config: reader)
        let pool = config.database.makePool(applicationName: "adrecs-models-test")
        do {
            try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
        } catch {
            await pool.close()
            throw TestSetupError("PostgreSQL at DB_URL is not usable: \(error)")
        }
        let client = try config.storage.makeClient()
        try await client.createBucket(bucket)

        let worker = try ModelsWorker(
            config: config, pool: config.database.makePool(applicationName: "adrecs-models"),
            metrics: StageMetrics(stage: "models"), logger: logger, workerID: "models-test"
        )
        let harness = ModelsHarness(
            ledger: RunLedger(pool: pool, logger: logger), client: client, bucket: bucket,
            toModels: ZeroMQSender(push), fromModels: ZeroMQReceiver(pull),
            worker: Task { try? await worker.run() }
        )
        let outcome: Result<Void, any Error>
        do {
            try await body(harness)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        await harness.stopWorker()
        await harness.toModels.close()
        await harness.fromModels.close()
        for object in (try? await client.listObjects(bucket: bucket).collect()) ?? [] {
            try? await client.deleteObject(bucket: bucket, key: object.key)
        }
        try? await client.deleteBucket(bucket)
        _ = try? await pool.execute("DROP SCHEMA \(schema) CASCADE")
        await pool.close()
        try outcome.get()
    }

    /// Kicks a run of `day` and moves it to models-queued, as ingest would.
    func queueModels(_ day: Day) async throws -> String {
        let run = try await ledger.kick(date: day)
        _ = try #require(try await ledger.claim(runID: run.runID, stage: .ingest, worker: "ingest-test"))
        try await ledger.completeStage(runID: run.runID, stage: .ingest, counts: [:], s3Keys: [:], next: .models)
        return run.runID
    }

    /// Uploads the filtered inputs of `day` (from a course folder) where ingest writes them.
    func putFilteredInputs(folder: String, day: Day, runID: String) async throws -> IngestCompleted {
        let keys = RunKeys(date: day, runID: runID)
        let advertisers = try String(contentsOfFile: folder + "/advertiser_ids", encoding: .utf8)
        // The course files have CRLF line endings; "\r\n" is one Character.
        func lines(_ text: String) -> [Substring] { text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) }
        let active = Set(lines(advertisers).dropFirst().map(String.init))
        var rowCounts: [Int] = []
        for (name, key) in [("product_views", keys.ingestProductViews), ("ads_views", keys.ingestAdsViews)] {
            let rows = lines(try String(contentsOfFile: folder + "/" + name, encoding: .utf8))
            let kept = rows.dropFirst().filter { line in
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                return fields.last.map(String.init) == day.description && active.contains(String(fields[0]))
            }
            rowCounts.append(kept.count)
            #expect(!kept.isEmpty && kept.count < rows.count - 1, "\(name): the filter kept \(kept.count) of \(rows.count - 1) rows")
            let text = ([rows[0]] + kept).joined(separator: "\n") + "\n"
            try await client.putObject(
                bucket: bucket, key: key, bytes: try ZstdEncoder.compress(Array(text.utf8)), contentType: RunKeys.zstdContentType)
        }
        try await client.putObject(bucket: bucket, key: keys.ingestAdvertisers, bytes: Array(advertisers.utf8), contentType: "text/csv")
        return IngestCompleted(
            runID: runID, date: day.description, productViewsKey: keys.ingestProductViews, adsViewsKey: keys.ingestAdsViews,
            advertisersKey: keys.ingestAdvertisers, manifestKey: keys.ingestManifest,
            productViewRows: rowCounts[0], adsViewRows: rowCounts[1]
        )
    }

    /// The next message from the worker, or `nil` after `timeout`.
    func receive(within timeout: Duration) async throws -> [UInt8]? {
        let receiver = fromModels
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask { try await receiver.receive()?.payload }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Polls the ledger until `condition` holds for the run (at most `timeout`).
    func waitForRun(_ runID: String, timeout: Duration = .seconds(15), _ condition: (RunRecord) -> Bool) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            let run = try #require(try await ledger.run(id: runID))
            if condition(run) { return run }
            guard ContinuousClock.now < deadline else {
                Issue.record("run \(runID) did not reach the expected state: \(run)")
                return run
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
