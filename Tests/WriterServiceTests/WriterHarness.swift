import AdrecsDatabase
import AdrecsDomain
import AdrecsRuntime
import AdrecsStorage
import AdrecsTestSupport
import AdrecsWire
import Foundation
import LibPQ
import Logging
import S3Store
import Testing
import WriterService
import ZeroMQ

/// A running ``WriterWorker`` on its own schema, bucket and port, with a PUSH standing in for models.
struct WriterHarness: Sendable {
    let pool: PGPool
    let ledger: RunLedger
    let client: S3Client
    let bucket: String
    let toWriter: ZeroMQSender

    /// Sets everything up, runs `body` while the worker runs, then stops the worker and cleans up.
    static func with(_ extra: [String: String] = [:], _ body: @Sendable (WriterHarness) async throws -> Void) async throws {
        let servers = try TestServers()
        let suffix = TestServers.suffix()
        let schema = "writer_test_\(suffix)"
        let bucket = "adrecs-writer-test-\(suffix)"
        let logger = Logger(label: "adrecs.test.writer")
        let endpoint = "tcp://127.0.0.1:\(try FreePort.next())"
        let reader = servers.reader(schema: schema, bucket: bucket, ["messaging.writer.endpoint": endpoint].merging(extra) { $1 })
        let config = try WriterConfig(config: reader)
        let pool = config.database.makePool(applicationName: "adrecs-writer-test")
        do {
            try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
        } catch {
            await pool.close()
            throw TestSetupError("PostgreSQL at DB_URL is not usable: \(error)")
        }
        let client = try config.storage.makeClient()
        try await client.createBucket(bucket)

        let context = try ZeroMQContext()
        let push = try ZeroMQSocket(context: context, type: .push, options: ZeroMQSocketOptions(linger: .zero, sendTimeout: .seconds(5)))
        try push.connect(endpoint)
        let harness = WriterHarness(
            pool: pool, ledger: RunLedger(pool: pool, logger: logger), client: client, bucket: bucket, toWriter: ZeroMQSender(push)
        )
        let worker = try WriterWorker(
            config: config, pool: config.database.makePool(applicationName: "adrecs-writer"),
            metrics: StageMetrics(stage: "writer"), logger: logger, workerID: "writer-test"
        )
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await worker.run() }
            let outcome: Result<Void, any Error>
            do {
                try await body(harness)
                outcome = .success(())
            } catch {
                outcome = .failure(error)
            }
            group.cancelAll()
            return outcome
        }
        await harness.toWriter.close()
        for object in (try? await client.listObjects(bucket: bucket).collect()) ?? [] {
            try? await client.deleteObject(bucket: bucket, key: object.key)
        }
        try? await client.deleteBucket(bucket)
        _ = try? await pool.execute("DROP SCHEMA \(schema) CASCADE")
        await pool.close()
        try outcome.get()
    }

    /// Kicks a run of `day` and moves it to writer-queued, as ingest and models would.
    func queueWriter(_ day: Day) async throws -> String {
        let run = try await ledger.kick(date: day)
        for stage in [Stage.ingest, .models] {
            _ = try #require(try await ledger.claim(runID: run.runID, stage: stage, worker: "\(stage)-test"))
            try await ledger.completeStage(runID: run.runID, stage: stage, counts: [:], s3Keys: [:], next: stage.next)
        }
        return run.runID
    }

    /// Uploads `rows` and the day's advertisers where models writes them; returns the message for the writer.
    func putModelsOutput(day: Day, runID: String, rows: [Recommendation], advertisers: [String]) async throws -> ModelsCompleted {
        let keys = RunKeys(date: day, runID: runID)
        let csv = RecommendationCSV.document(rows)
        try await client.putObject(bucket: bucket, key: keys.modelsRecommendations, bytes: Array(csv.utf8), contentType: "text/csv")
        let advertiserCSV = "advertiser_id\n" + advertisers.map { $0 + "\n" }.joined()
        try await client.putObject(bucket: bucket, key: keys.modelsAdvertisers, bytes: Array(advertiserCSV.utf8), contentType: "text/csv")
        return ModelsCompleted(
            runID: runID, date: day.description, recommendationsKey: keys.modelsRecommendations,
            advertisersKey: keys.modelsAdvertisers, recommendationRows: rows.count, advertisers: advertisers.count
        )
    }

    /// The day's rows in PostgreSQL, in CSV order (the reader the API uses).
    func storedRows(_ day: Day) async throws -> [Recommendation] {
        try await DayReader(pool: pool).recommendations(date: day.description)
    }

    /// Polls the ledger until `condition` holds for the run (at most `timeout`).
    func waitForRun(_ runID: String, timeout: Duration = .seconds(20), _ condition: (RunRecord) -> Bool) async throws -> RunRecord {
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
