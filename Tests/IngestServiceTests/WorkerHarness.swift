import AdrecsDatabase
import AdrecsPipeline
import AdrecsRuntime
import AdrecsStorage
import IngestService
import Logging
import Prometheus
import ServiceLifecycle

/// Runs the ingest stage (``IngestStage`` in its runtime) on a fixture in a `ServiceGroup` for the duration of `body`, then shuts it
/// down gracefully (and waits for it to stop).
enum WorkerHarness {
    static func with<T: Sendable>(
        _ fixture: IngestFixture,
        storage: StorageConfig? = nil,
        sendTimeout: Duration = .seconds(5),
        abandonAfter: Duration = .seconds(6),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        _ body: (StageRuntime<IngestStage>, ServiceGroup) async throws -> T
    ) async throws -> T {
        let storage = storage ?? fixture.storage
        let client = try storage.makeClient()
        let metrics = StageMetrics(stage: "ingest", factory: PrometheusMetricsFactory(registry: registry))
        let (pool, schema, logger) = (fixture.pool, fixture.schema, fixture.logger)
        let worker = StageRuntime(
            job: IngestStage(job: IngestJob(store: client, bucket: storage.bucket, layout: RawInputLayout()), metrics: metrics),
            ledger: fixture.ledger, settings: StageSettings(heartbeat: .seconds(1), abandonAfter: abandonAfter),
            messaging: StageMessaging(
                outbox: StageSocket(endpoint: "tcp://127.0.0.1:*", binds: true), sendTimeout: sendTimeout,
                wakeOnKick: fixture.database.connectInfo(applicationName: "adrecs-ingest-test-listener")),
            metrics: metrics, logger: logger, workerID: "ingest-test",
            migrate: { _ = try await Migrator.migrate(pool: pool, schema: schema, logger: logger) })
        let group = ServiceGroup(services: [worker], logger: fixture.logger)
        let running = Task { try await group.run() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while worker.status.outboxEndpoint == nil && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        do {
            let value = try await body(worker, group)
            await group.triggerGracefulShutdown()
            try await running.value
            return value
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
    }

    /// Polls the ledger until `runID` is finished (or `timeout`), returning its last record.
    static func waitForRun(_ ledger: RunLedger, _ runID: String, timeout: Duration = .seconds(30)) async throws -> RunRecord? {
        try await IngestTools.wait(ledger: ledger, runID: runID, timeout: timeout, interval: .milliseconds(50)) { _ in }
    }
}
