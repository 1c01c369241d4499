import AdrecsDatabase
import AdrecsDomain
import AdrecsPipeline
public import AdrecsRuntime
import AdrecsWire
public import LibPQ
public import Logging
import S3Store
public import ServiceLifecycle
import ZeroMQ

/// The writer stage as a `Service`: binds a PULL for `ModelsCompleted`, applies the database
/// migrations, and for each message claims the run's writer stage, downloads the models' CSVs from
/// S3 and replaces the day in PostgreSQL in one transaction (`DayWriter.replaceDay`, which also
/// marks the stage and the run succeeded and sends `NOTIFY`).
///
/// An unreachable PostgreSQL is retried with backoff for `writer.retry.seconds`, then the stage
/// fails naming the cause; S3 errors fail the stage with their S3 code. The service keeps running.
/// On graceful shutdown it stops taking messages and finishes the current one if it can within
/// `abandonAfter` (4 s); otherwise (or if it is cancelled first) the day's transaction is cancelled
/// on the server and rolled back, and the stage is marked failed with
/// `abandoned: service shutting down`, so the process exits within the 8 s grace period.
public struct WriterWorker: Service {
    let config: WriterConfig
    let pool: PGPool
    let ledger: RunLedger
    let client: S3Client
    let metrics: StageMetrics
    let logger: Logger
    let workerID: String
    let retry: DatabaseRetry
    let abandonAfter: Duration

    /// Creates the worker; nothing connects before ``run()``, which closes `pool` when it ends.
    /// - Parameters:
    ///   - workerID: recorded in the ledger as the stage's worker; default `writer@<host>:<pid>`.
    ///   - abandonAfter: how long the current message may go on after graceful shutdown began
    ///     before the worker cancels it (below the service group's 8 s, so the process exits within 10 s).
    public init(
        config: WriterConfig, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil,
        abandonAfter: Duration = .seconds(4)
    ) throws {
        self.config = config
        self.pool = pool
        self.ledger = RunLedger(pool: pool, logger: logger)
        self.client = try config.storage.makeClient()
        self.metrics = metrics
        self.logger = logger
        self.workerID = workerID ?? Stage.writer.defaultWorkerID
        self.retry = DatabaseRetry(budget: config.retryBudget)
        self.abandonAfter = abandonAfter
    }

    public func run() async throws {
        let context = try ZeroMQContext()
        let pull = try ZeroMQSocket(context: context, type: .pull)
        // Bound before migrating: messages sent meanwhile wait in the socket.
        let endpoint = try pull.bind(config.writerEndpoint)
        let receiver = ZeroMQReceiver(pull, label: "adrecs.writer.pull")
        logger.info("Writer worker listening", metadata: [LogKeys.endpoint: "\(endpoint)"])
        do {
            guard try await migrate() else {
                await receiver.close()
                await pool.close()
                return
            }
            for try await message in receiver.messages.cancelOnGracefulShutdown() {
                await handle(message.payload)
            }
        } catch {
            logger.error("Writer worker failed", metadata: [LogKeys.error: "\(error)"])
            await receiver.close()
            await pool.close()
            throw error
        }
        await receiver.close()
        await pool.close()
        logger.info("Writer worker stopped")
    }

    /// Applies the migrations, retrying (with backoff up to 5 s) while they fail; `false` if the
    /// service is asked to shut down first.
    private func migrate() async throws -> Bool {
        var delay = Duration.milliseconds(250)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let applied = try await Migrator.migrate(pool: pool, schema: config.database.schema, logger: logger)
                logger.info("Database migrated", metadata: [LogKeys.rows: "\(applied.count)"])
                return true
            } catch {
                logger.error("Database migration failed, retrying", metadata: [LogKeys.error: "\(error)"])
                let wait = delay
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: wait) }
                delay = min(delay * 2, .seconds(5))
            }
        }
        return false
    }

    /// Handles one message; never throws: every failure ends in the ledger and the log.
    func handle(_ payload: [UInt8]) async {
        guard let message = await StageInbox.decode(ModelsCompleted.self, from: payload, metrics: metrics, logger: logger, reject: {
            await fail(runID: $0, $1)
        }) else { return }
        let logger = self.logger.with(runID: message.runID, date: message.date, stage: .writer)

        let clock = ContinuousClock()
        let start = clock.now
        do {
            let (ledger, workerID) = (ledger, workerID)
            let claim = try await retry.run("claim", logger: logger) {
                try await ledger.claim(runID: message.runID, stage: .writer, worker: workerID)
            }
            guard claim != nil else {
                logger.notice("Message skipped: the run's writer stage is not queued")
                return
            }
        } catch {
            logger.error("Claim failed", metadata: [LogKeys.error: "\(FailureDescription(error).text)"])
            metrics.recordFailure(.database)
            return
        }

        do {
            let rows = try await StageWork.run(
                ledger: ledger, runID: message.runID, stage: .writer, heartbeat: config.heartbeat, abandonAfter: abandonAfter,
                logger: logger, failure: WriterError.self
            ) {
                try await write(message, logger: logger)
            }
            let elapsed = clock.now - start
            metrics.recordRun(.succeeded, duration: elapsed)
            logger.info("Day replaced", metadata: [LogKeys.rows: "\(rows)", LogKeys.durationSeconds: "\(elapsed.seconds)"])
        } catch {
            let text = FailureDescription.record(error, elapsed: clock.now - start, metrics: metrics, logger: logger)
            await fail(runID: message.runID, text)
        }
    }

    /// Downloads the CSVs and replaces the day; returns the recommendation rows written.
    private func write(_ message: ModelsCompleted, logger: Logger) async throws -> Int {
        guard let day = Day(message.date) else { throw WriterError.invalidDate(message.date) }
        let bucket = config.storage.bucket
        let recommendations = try await client.getObject(bucket: bucket, key: message.recommendationsKey)
        let advertisers = try await client.getObject(bucket: bucket, key: message.advertisersKey)
        metrics.recordBytes(recommendations.count + advertisers.count, .read)
        let writer = DayWriter(pool: pool, logger: logger, minRowsFraction: config.minRowsFraction)
        let runID = message.runID
        let result = try await retry.run("replace day", logger: logger) {
            try await writer.replaceDay(date: day, runID: runID, recommendationsCSV: recommendations, advertisersCSV: advertisers)
        }
        metrics.recordRows(result.recommendationRows, .written)
        return result.recommendationRows
    }

    /// Marks the writer stage failed (``RunLedger/recordFailure(runID:stage:error:logger:attempt:)``),
    /// retrying for 5 s while PostgreSQL is unreachable.
    private func fail(runID: String, _ error: String) async {
        let retry = DatabaseRetry(budget: .seconds(5))
        await ledger.recordFailure(runID: runID, stage: .writer, error: error, logger: logger) { [logger] write in
            try await retry.run("fail stage", logger: logger, write)
        }
    }
}
