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
import StageTestSupport
import Testing
import WriterService
import ZeroMQ

/// A running writer (``WriterStage`` in its runtime) on its own schema, bucket and port, with a PUSH standing in for models.
struct WriterHarness: Sendable {
    let sandbox: StageSandbox
    let toWriter: ZeroMQSender

    var pool: PGPool { sandbox.pool }
    var ledger: RunLedger { sandbox.ledger }
    var client: S3Client { sandbox.client }
    var bucket: String { sandbox.bucket }

    /// Sets everything up, runs `body` while the worker runs, then stops the worker and cleans up.
    static func with(_ extra: [String: String] = [:], _ body: @Sendable (WriterHarness) async throws -> Void) async throws {
        let logger = Logger(label: "adrecs.test.writer")
        let endpoint = "tcp://127.0.0.1:\(try FreePort.next())"
        let (sandbox, config) = try await StageSandbox.create(
            "writer", extra: ["messaging.writer.endpoint": endpoint].merging(extra) { $1 },
            logger: logger, config: WriterConfig.init(config:), database: \.database, storage: \.storage
        )
        let context = try ZeroMQContext()
        let push = try ZeroMQSocket(context: context, type: .push, options: ZeroMQSocketOptions(linger: .zero, sendTimeout: .seconds(5)))
        try push.connect(endpoint)
        let harness = WriterHarness(sandbox: sandbox, toWriter: ZeroMQSender(push))
        let pool = config.database.makePool(applicationName: "adrecs-writer")
        let worker = WriterStage.runtime(
            config: config, store: try config.storage.makeClient(), pool: pool,
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
        await pool.close()
        await harness.toWriter.close()
        await sandbox.destroy()
        try outcome.get()
    }

    /// Kicks a run of `day` and moves it to writer-queued, as ingest and models would.
    func queueWriter(_ day: Day) async throws -> String {
        try await ledger.queue(day, at: .writer)
    }

    /// Uploads `rows` and the day's advertisers where models writes them; returns the message for the writer.
    func putModelsOutput(day: Day, runID: String, rows: [Recommendation], advertisers: [String]) async throws -> ModelsCompleted {
        let keys = RunKeys(date: day, runID: runID)
        let csv = RecommendationCSV.document(rows)
        try await client.putObject(bucket: bucket, key: keys.modelsRecommendations, bytes: Array(csv.utf8), contentType: "text/csv")
        let advertiserCSV = "advertiser_id\n" + advertisers.map { $0 + "\n" }.joined()
        try await client.putObject(bucket: bucket, key: keys.modelsAdvertisers, bytes: Array(advertiserCSV.utf8), contentType: "text/csv")
        return ModelsCompleted(
            runID: runID, date: day, recommendationsKey: keys.modelsRecommendations,
            advertisersKey: keys.modelsAdvertisers, recommendationRows: rows.count, advertisers: advertisers.count
        )
    }

    /// The day's rows in PostgreSQL, in CSV order (the reader the API uses).
    func storedRows(_ day: Day) async throws -> [Recommendation] {
        try await DayReader(pool: pool).recommendations(date: day.description)
    }

    /// Polls the ledger until `condition` holds for the run (at most `timeout`).
    func waitForRun(_ runID: String, timeout: Duration = .seconds(30), _ condition: (RunRecord) -> Bool) async throws -> RunRecord {
        try await ledger.waitForRun(runID, timeout: timeout, until: condition)
    }
}
