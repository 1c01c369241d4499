public import AdrecsDatabase
public import AdrecsPipeline
public import AdrecsRuntime
import AdrecsWire
public import LibPQ
public import Logging

/// The ingest stage's work for ``StageRuntime``: for a claimed run, ``IngestJob`` filters the day's
/// raw logs into S3, and the runtime hands `IngestCompleted` to the models stage over the PUSH
/// socket ingest binds. Ingest has no inbox: it claims queued runs when a kick's
/// `NOTIFY adrecs_runs` wakes it, and on every sweep.
public struct IngestStage: StageJob {
    public let job: IngestJob
    let metrics: StageMetrics

    public var stage: Stage { .ingest }

    public init(job: IngestJob, metrics: StageMetrics) {
        self.job = job
        self.metrics = metrics
    }

    /// The runtime of the ingest service: applies the migrations, binds the PUSH socket to the
    /// models stage, then works kicked runs. `pool` is not closed here: it is a service of the
    /// group, after the runtime.
    /// - Parameters:
    ///   - workerID: recorded in the ledger as the stage's worker; default `ingest@<host>:<pid>`.
    public static func runtime(
        config: IngestConfig, job: IngestJob, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil
    ) -> StageRuntime<IngestStage> {
        let schema = config.database.schema
        return StageRuntime(
            job: IngestStage(job: job, metrics: metrics),
            ledger: RunLedger(pool: pool, staleAfter: config.runtime.staleAfter, logger: logger),
            settings: config.runtime,
            messaging: StageMessaging(
                outbox: StageSocket(endpoint: config.messaging.modelsEndpoint, binds: true), sendTimeout: config.messaging.sendTimeout,
                wakeOnKick: config.database.connectInfo(applicationName: "adrecs-ingest-listener")),
            metrics: metrics, logger: logger, workerID: workerID,
            migrate: { _ = try await Migrator.migrate(pool: pool, schema: schema, logger: logger) })
    }

    public func input(for claim: RunClaim, handover: [UInt8]?) {}

    public func run(_: Void, claim: RunClaim, logger: Logger) async throws -> StageOutcome {
        let result = try await job.run(runID: claim.runID, date: claim.date)
        let statistics = result.statistics
        metrics.recordRows(statistics.productViews.linesRead + statistics.adsViews.linesRead, .read)
        metrics.recordRows(statistics.productViews.rowsKept + statistics.adsViews.rowsKept, .kept)
        metrics.recordRows(result.quarantined.values.reduce(0, +), .quarantined)
        metrics.recordBytes(result.bytesRead, .read)
        metrics.recordBytes(result.bytesWritten, .written)
        return StageOutcome(
            counts: result.counts, s3Keys: result.s3Keys, handover: (.models, WireCodec.encode(result.message)),
            rows: statistics.productViews.rowsKept + statistics.adsViews.rowsKept)
    }

    /// S3 and storage errors keep their S3 code in the ledger (``IngestError/from(_:)``).
    public func failure(for error: any Error) -> any Error {
        IngestError.from(error)
    }
}
