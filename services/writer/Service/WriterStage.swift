public import AdrecsDatabase
import AdrecsDomain
public import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsWire
public import LibPQ
public import Logging
public import AdrecsStorage

/// The writer stage's work for ``StageRuntime``: from the `ModelsCompleted` hand-over, downloads
/// the models' CSVs from S3 and replaces the day in PostgreSQL in one transaction
/// (`DayWriter.replaceDay`, which also marks the stage and the run succeeded and sends `NOTIFY`).
///
/// An unreachable PostgreSQL is retried with backoff for `writer.retry.seconds`; if it is still
/// down then, the stage is given back for another attempt (the supervisor's redelivery completes
/// the day once PostgreSQL is back). S3 errors fail the stage with their S3 code.
public struct WriterStage: StageJob {
    let store: any ObjectStore
    let bucket: String
    let committer: any DayCommitter
    let metrics: StageMetrics
    let retry: DatabaseRetry

    public var stage: Stage { .writer }

    /// - Parameters:
    ///   - store: where the models' CSVs are read (`S3Client` in the service).
    ///   - committer: where the day is committed (``DayWriter`` in the service).
    ///   - retryBudget: how long an unreachable PostgreSQL is retried before the stage is given back.
    public init(store: any ObjectStore, bucket: String, committer: any DayCommitter, retryBudget: Duration, metrics: StageMetrics) {
        self.store = store
        self.bucket = bucket
        self.committer = committer
        self.metrics = metrics
        self.retry = DatabaseRetry(budget: retryBudget)
    }

    /// The runtime of the writer service: binds the PULL models push to, and applies the database
    /// migrations before it takes work (messages sent meanwhile wait in the socket or the ledger).
    /// `pool` is not closed here: it is a service of the group, after the runtime.
    /// - Parameters:
    ///   - store: where the models' CSVs are read (`S3Client` in the service).
    ///   - workerID: recorded in the ledger as the stage's worker; default `writer@<host>:<pid>`.
    public static func runtime(
        config: WriterConfig, store: any ObjectStore, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil
    ) -> StageRuntime<WriterStage> {
        let schema = config.database.schema
        let committer = DayWriter(pool: pool, logger: logger, minRowsFraction: config.minRowsFraction)
        return StageRuntime(
            job: WriterStage(
                store: store, bucket: config.storage.bucket, committer: committer, retryBudget: config.retryBudget, metrics: metrics),
            ledger: RunLedger(pool: pool, staleAfter: config.runtime.staleAfter, logger: logger),
            settings: config.runtime,
            messaging: StageMessaging(inbox: StageSocket(endpoint: config.writerEndpoint, binds: true)),
            metrics: metrics, logger: logger, workerID: workerID,
            migrate: { _ = try await Migrator.migrate(pool: pool, schema: schema, logger: logger) })
    }

    public func input(for claim: RunClaim, handover: [UInt8]?) throws -> ModelsCompleted {
        try HandoverError.decode(ModelsCompleted.self, from: handover)
    }

    /// Downloads the CSVs and replaces the day, completing the stage in the same transaction.
    public func run(_ message: ModelsCompleted, claim: RunClaim, logger: Logger) async throws -> StageOutcome {
        let day = message.date
        let recommendations = try await store.getObject(bucket: bucket, key: message.recommendationsKey, range: nil)
        let advertisers = try await store.getObject(bucket: bucket, key: message.advertisersKey, range: nil)
        metrics.recordBytes(recommendations.count + advertisers.count, .read)
        let committer = self.committer
        let result = try await retry.run("replace day", logger: logger) {
            try await committer.replaceDay(
                date: day, runID: claim.runID, attempt: claim.attempt,
                recommendationsCSV: recommendations, advertisersCSV: advertisers, logger: logger)
        }
        metrics.recordRows(result.recommendationRows, .written)
        return StageOutcome(completedByJob: true, rows: result.recommendationRows)
    }
}
