public import AdrecsDatabase
import AdrecsDomain
public import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsWire
public import LibPQ
public import Logging
import S3Store

/// The writer stage's work for ``StageRuntime``: from the `ModelsCompleted` hand-over, downloads
/// the models' CSVs from S3 and replaces the day in PostgreSQL in one transaction
/// (`DayWriter.replaceDay`, which also marks the stage and the run succeeded and sends `NOTIFY`).
///
/// An unreachable PostgreSQL is retried with backoff for `writer.retry.seconds`; if it is still
/// down then, the stage is given back for another attempt (the supervisor's redelivery completes
/// the day once PostgreSQL is back). S3 errors fail the stage with their S3 code.
public struct WriterStage: StageJob {
    let config: WriterConfig
    let pool: PGPool
    let client: S3Client
    let metrics: StageMetrics
    let retry: DatabaseRetry

    public var stage: Stage { .writer }

    public init(config: WriterConfig, pool: PGPool, metrics: StageMetrics) throws {
        self.config = config
        self.pool = pool
        self.client = try config.storage.makeClient()
        self.metrics = metrics
        self.retry = DatabaseRetry(budget: config.retryBudget)
    }

    /// The runtime of the writer service: binds the PULL models push to, and applies the database
    /// migrations before it takes work (messages sent meanwhile wait in the socket or the ledger).
    /// - Parameters:
    ///   - workerID: recorded in the ledger as the stage's worker; default `writer@<host>:<pid>`.
    public static func runtime(
        config: WriterConfig, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil
    ) throws -> StageRuntime<WriterStage> {
        let schema = config.database.schema
        return StageRuntime(
            job: try WriterStage(config: config, pool: pool, metrics: metrics),
            ledger: RunLedger(pool: pool, staleAfter: config.runtime.staleAfter, logger: logger),
            settings: config.runtime,
            messaging: StageMessaging(inbox: StageSocket(endpoint: config.writerEndpoint, binds: true)),
            metrics: metrics, logger: logger, workerID: workerID,
            migrate: { _ = try await Migrator.migrate(pool: pool, schema: schema, logger: logger) },
            closing: pool)
    }

    public func input(for claim: RunClaim, handover: [UInt8]?) throws -> ModelsCompleted {
        try HandoverError.decode(ModelsCompleted.self, from: handover)
    }

    /// Downloads the CSVs and replaces the day, completing the stage in the same transaction.
    public func run(_ message: ModelsCompleted, claim: RunClaim, logger: Logger) async throws -> StageOutcome {
        let day = message.date
        let bucket = config.storage.bucket
        let recommendations = try await client.getObject(bucket: bucket, key: message.recommendationsKey)
        let advertisers = try await client.getObject(bucket: bucket, key: message.advertisersKey)
        metrics.recordBytes(recommendations.count + advertisers.count, .read)
        let writer = DayWriter(pool: pool, logger: logger, minRowsFraction: config.minRowsFraction)
        let result = try await retry.run("replace day", logger: logger) {
            try await writer.replaceDay(
                date: day, runID: claim.runID, attempt: claim.attempt,
                recommendationsCSV: recommendations, advertisersCSV: advertisers)
        }
        metrics.recordRows(result.recommendationRows, .written)
        return StageOutcome(completedByJob: true, rows: result.recommendationRows)
    }
}
