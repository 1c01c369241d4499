import AdrecsDatabase
import AdrecsConcurrency
import AdrecsDomain
import AdrecsPipeline
public import AdrecsRuntime
import AdrecsStorage
import AdrecsWire
import Foundation
public import LibPQ
public import Logging
import S3Store
public import ServiceLifecycle
import ZeroMQ

/// The models stage as a `Service`: pulls `IngestCompleted`, claims the run's models stage in the
/// ledger, computes TopProduct and TopCTR from the day's filtered objects (streamed from S3),
/// writes the results to S3, completes the stage and pushes `ModelsCompleted` to the writer.
///
/// One message at a time; several processes may pull from the same ingest endpoint. On graceful
/// shutdown it stops taking messages and lets the current one go on for `abandonAfter` (4 s); if
/// it is still going then, or is cancelled first, the stage is marked failed with
/// `abandoned: service shutting down`.
public struct ModelsWorker: Service {
    let config: ModelsConfig
    let pool: PGPool
    let ledger: RunLedger
    let client: S3Client
    /// Dedicated threads for parsing and aggregating (two logs at a time).
    let executor = BlockingExecutor(label: "adrecs.models.compute", concurrent: true, maxThreads: 2)
    let metrics: StageMetrics
    let logger: Logger
    let workerID: String
    let abandonAfter: Duration

    /// Creates the worker; nothing connects before ``run()``, which closes `pool` when it ends.
    /// - Parameters:
    ///   - workerID: recorded in the ledger as the stage's worker; default `models@<host>:<pid>`.
    ///   - abandonAfter: how long the current message may go on after graceful shutdown began.
    public init(
        config: ModelsConfig, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil,
        abandonAfter: Duration = .seconds(4)
    ) throws {
        self.config = config
        self.pool = pool
        self.ledger = RunLedger(pool: pool, logger: logger)
        self.client = try config.storage.makeClient()
        self.metrics = metrics
        self.logger = logger
        self.workerID = workerID ?? Stage.models.defaultWorkerID
        self.abandonAfter = abandonAfter
    }

    public func run() async throws {
        let context = try ZeroMQContext()
        // A receive queue of one message: PUSH spreads the next messages to idle workers.
        let pull = try ZeroMQSocket(context: context, type: .pull, options: ZeroMQSocketOptions(receiveHighWaterMark: 1))
        try pull.connect(config.modelsEndpoint)
        let push = try ZeroMQSocket(context: context, type: .push, options: ZeroMQSocketOptions(sendTimeout: config.sendTimeout))
        try push.connect(config.writerEndpoint)
        let receiver = ZeroMQReceiver(pull, label: "adrecs.models.pull")
        let sender = ZeroMQSender(push, label: "adrecs.models.push")
        logger.info("Models worker listening", metadata: [LogKeys.endpoint: "\(config.modelsEndpoint) -> \(config.writerEndpoint)"])
        defer { logger.info("Models worker stopped") }
        do {
            for try await message in receiver.messages.cancelOnGracefulShutdown() {
                await handle(message.payload, sender: sender)
            }
        } catch {
            logger.error("Receive failed", metadata: [LogKeys.error: "\(error)"])
            await receiver.close()
            await sender.close()
            await pool.close()
            throw error
        }
        await receiver.close()
        await sender.close()
        await pool.close()
    }

    /// Handles one message; never throws: every failure ends in the ledger and the log.
    func handle(_ payload: [UInt8], sender: ZeroMQSender) async {
        guard let message = await StageInbox.decode(IngestCompleted.self, from: payload, metrics: metrics, logger: logger, reject: {
            await ledger.recordFailure(runID: $0, stage: .models, error: $1, logger: self.logger)
        }) else { return }
        let logger = self.logger.with(runID: message.runID, date: message.date, stage: .models)

        do {
            guard try await ledger.claim(runID: message.runID, stage: .models, worker: workerID) != nil else {
                logger.notice("Message skipped: the run's models stage is not queued")
                return
            }
        } catch {
            logger.error("Claim failed", metadata: [LogKeys.error: "\(error)"])
            metrics.recordFailure(.database)
            return
        }

        let clock = ContinuousClock()
        let start = clock.now
        let completed: ModelsCompleted
        do {
            completed = try await StageWork.run(
                ledger: ledger, runID: message.runID, stage: .models, heartbeat: config.heartbeat, abandonAfter: abandonAfter,
                logger: logger, failure: ModelsError.self
            ) {
                try await compute(message, logger: logger)
            }
        } catch {
            let text = FailureDescription.record(error, elapsed: clock.now - start, metrics: metrics, logger: logger)
            await ledger.recordFailure(runID: message.runID, stage: .models, error: text, logger: logger)
            return
        }
        metrics.recordRun(.succeeded, duration: clock.now - start)
        logger.info("Stage succeeded", metadata: [
            LogKeys.rows: "\(completed.recommendationRows)", LogKeys.durationSeconds: "\((clock.now - start).seconds)",
        ])

        do {
            try await sender.send(WireCodec.encode(completed))
        } catch {
            logger.error("No writer took the message", metadata: [LogKeys.error: "\(error)"])
            metrics.recordFailure(.messaging)
            await ledger.recordFailure(runID: message.runID, stage: .writer, error: "no writer took the message: \(error)", logger: logger)
        }
    }

    /// Reads, computes, writes and completes the stage in the ledger; returns the message for the writer.
    private func compute(_ message: IngestCompleted, logger: Logger) async throws -> ModelsCompleted {
        guard let day = Day(message.date) else { throw ModelsError.invalidDate(message.date) }
        let bucket = config.storage.bucket
        let models = try await S3DayModelsReader(client: client, bucket: bucket, executor: executor).compute(
            day: day, advertisersKey: message.advertisersKey,
            productViewsKey: message.productViewsKey, adsViewsKey: message.adsViewsKey
        )
        metrics.recordBytes(models.bytesRead, .read)
        let keys = RunKeys(date: day, runID: message.runID)

        let recommendations = Array(RecommendationCSV.document(models.recommendations).utf8)
        let advertiserIDs = models.advertiserIDs
        let advertiserBytes = Array(RecommendationCSV.advertisersDocument(advertiserIDs).utf8)
        try await client.putObject(bucket: bucket, key: keys.modelsRecommendations, bytes: recommendations, contentType: "text/csv")
        try await client.putObject(bucket: bucket, key: keys.modelsAdvertisers, bytes: advertiserBytes, contentType: "text/csv")

        let inputs = [
            "advertisers": message.advertisersKey, "product_views": message.productViewsKey, "ads_views": message.adsViewsKey,
        ]
        let outputs = ["recommendations": keys.modelsRecommendations, "advertisers": keys.modelsAdvertisers]
        let manifest = ModelsManifest(
            runID: message.runID, date: message.date, inputs: inputs, outputs: outputs,
            recommendationRows: models.recommendations.count, advertisers: advertiserIDs.count,
            bytesRead: models.bytesRead, statistics: models.statistics
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let manifestBytes = Array(try encoder.encode(manifest))
        try await client.putObject(bucket: bucket, key: keys.modelsManifest, bytes: manifestBytes, contentType: "application/json")
        metrics.recordBytes(recommendations.count + advertiserBytes.count + manifestBytes.count, .written)
        metrics.recordRows(models.recommendations.count, .written)

        var counts = [
            "recommendation_rows": models.recommendations.count,
            "advertisers": advertiserIDs.count,
            "bytes_read": models.bytesRead,
        ]
        if let statistics = models.statistics {
            counts["product_views_rows"] = statistics.productViews.rowsKept
            counts["ads_views_rows"] = statistics.adsViews.rowsKept
            metrics.recordRows(statistics.productViews.linesRead + statistics.adsViews.linesRead, .read)
        }
        try await ledger.completeStage(
            runID: message.runID, stage: .models, counts: counts,
            s3Keys: outputs.merging(["manifest": keys.modelsManifest]) { first, _ in first }, next: .writer
        )
        return ModelsCompleted(
            runID: message.runID, date: message.date,
            recommendationsKey: keys.modelsRecommendations, advertisersKey: keys.modelsAdvertisers,
            recommendationRows: models.recommendations.count, advertisers: advertiserIDs.count
        )
    }
}
