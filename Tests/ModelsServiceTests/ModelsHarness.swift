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
import ServiceLifecycle
import StageTestSupport
import Zstd
import Testing
import ZeroMQ

/// The models stage (``ModelsStage`` in its runtime) running in a `ServiceGroup` on its own schema, bucket and ports, with the
/// test's ends of both sockets: a bound PUSH standing in for ingest and a bound PULL standing in
/// for the writer.
struct ModelsHarness: Sendable {
    let sandbox: StageSandbox
    let toModels: ZeroMQSender
    let fromModels: ZeroMQReceiver
    let group: ServiceGroup
    let worker: Task<Void, Never>

    var ledger: RunLedger { sandbox.ledger }
    var client: S3Client { sandbox.client }
    var bucket: String { sandbox.bucket }

    /// Cancels the worker, as a service group does when graceful shutdown runs out of time, and waits for it.
    func stopWorker() async {
        worker.cancel()
        await worker.value
    }

    /// Begins a graceful shutdown, as SIGTERM does, and waits for the worker to stop.
    func shutDownGracefully() async {
        await group.triggerGracefulShutdown()
        await worker.value
    }

    /// Sets everything up, runs `body` while the worker runs, then stops the worker and cleans up.
    static func with(abandonAfter: Duration = .seconds(4), _ body: @Sendable (ModelsHarness) async throws -> Void) async throws {
        let logger = Logger(label: "adrecs.test.models")
        let context = try ZeroMQContext()
        let push = try ZeroMQSocket(context: context, type: .push, options: ZeroMQSocketOptions(linger: .zero, sendTimeout: .seconds(5)))
        let ingestEndpoint = try push.bind("tcp://127.0.0.1:*")
        let pull = try ZeroMQSocket(context: context, type: .pull, options: ZeroMQSocketOptions(linger: .zero))
        let writerEndpoint = try pull.bind("tcp://127.0.0.1:*")
        var (sandbox, config) = try await StageSandbox.create(
            "models", extra: [
                "messaging.models.endpoint": ingestEndpoint, "messaging.writer.endpoint": writerEndpoint,
                "messaging.send.timeout.ms": "2000",
            ],
            logger: logger, config: ModelsConfig.init(config:), database: \.database, storage: \.storage
        )
        config.runtime.abandonAfter = abandonAfter
        let pool = config.database.makePool(applicationName: "adrecs-models")
        let worker = ModelsStage.runtime(
            config: config, store: try config.storage.makeClient(), pool: pool,
            metrics: StageMetrics(stage: "models"), logger: logger, workerID: "models-test"
        )
        let group = ServiceGroup(services: [pool, worker], logger: logger)
        let harness = ModelsHarness(
            sandbox: sandbox, toModels: ZeroMQSender(push), fromModels: ZeroMQReceiver(pull),
            group: group, worker: Task { try? await group.run() }
        )
        try await TestScope.run { try await body(harness) } cleanUp: {
            await harness.stopWorker()
            await harness.toModels.close()
            await harness.fromModels.close()
            await sandbox.destroy()
        }
    }

    /// Kicks a run of `day` and moves it to models-queued, as ingest would.
    func queueModels(_ day: Day) async throws -> String {
        try await ledger.queue(day, at: .models)
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
            runID: runID, date: day, productViewsKey: keys.ingestProductViews, adsViewsKey: keys.ingestAdsViews,
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
    func waitForRun(_ runID: String, timeout: Duration = .seconds(30), _ condition: (RunRecord) -> Bool) async throws -> RunRecord {
        try await ledger.waitForRun(runID, timeout: timeout, until: condition)
    }
}
