public import AdrecsDatabase
import AdrecsConcurrency
import AdrecsDomain
public import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsStorage
public import AdrecsWire
import Foundation
public import LibPQ
public import Logging

/// The models stage's work for ``StageRuntime``: from the `IngestCompleted` hand-over, computes
/// TopProduct and TopCTR from the day's filtered objects (streamed from S3), writes the results to
/// S3, and hands `ModelsCompleted` to the writer. Several processes may work the same endpoint.
public struct ModelsStage: StageJob {
    let store: any ObjectStore
    let bucket: String
    /// Dedicated threads for parsing and aggregating (two logs at a time).
    let executor = BlockingExecutor(label: "adrecs.models.compute", concurrent: true, maxThreads: 2)
    let metrics: StageMetrics

    public var stage: Stage { .models }

    /// - Parameter store: where the day's filtered objects are read and the results written
    ///   (`S3Client` in the service).
    public init(store: any ObjectStore, bucket: String, metrics: StageMetrics) {
        self.store = store
        self.bucket = bucket
        self.metrics = metrics
    }

    /// The runtime of the models service: pulls from ingest's endpoint, pushes to the writer's.
    /// `pool` is not closed here: it is a service of the group, after the runtime.
    /// - Parameters:
    ///   - store: the object store (`S3Client` in the service).
    ///   - workerID: recorded in the ledger as the stage's worker; default `models@<host>:<pid>`.
    public static func runtime(
        config: ModelsConfig, store: any ObjectStore, pool: PGPool, metrics: StageMetrics, logger: Logger, workerID: String? = nil
    ) -> StageRuntime<ModelsStage> {
        StageRuntime(
            job: ModelsStage(store: store, bucket: config.storage.bucket, metrics: metrics),
            ledger: RunLedger(pool: pool, staleAfter: config.runtime.staleAfter, logger: logger),
            settings: config.runtime,
            messaging: .init(
                inbox: .init(endpoint: config.modelsEndpoint, binds: false),
                outbox: .init(endpoint: config.writerEndpoint, binds: false), sendTimeout: config.sendTimeout),
            metrics: metrics, logger: logger, workerID: workerID)
    }

    public func input(for claim: RunClaim, handover: [UInt8]?) throws -> IngestCompleted {
        try HandoverError.decode(IngestCompleted.self, from: handover)
    }

    public func run(_ message: IngestCompleted, claim: RunClaim, logger: Logger) async throws -> StageOutcome {
        let (completed, counts, keys) = try await compute(message)
        return StageOutcome(
            counts: counts, s3Keys: keys, handover: (.writer, WireCodec.encode(completed)), rows: completed.recommendationRows)
    }

    /// Reads, computes and writes the results; returns the message for the writer, the counts and keys.
    private func compute(_ message: IngestCompleted) async throws -> (ModelsCompleted, [String: Int], [String: String]) {
        let day = message.date
        let models = try await S3DayModelsReader(store: store, bucket: bucket, executor: executor).compute(
            day: day, advertisersKey: message.advertisersKey,
            productViewsKey: message.productViewsKey, adsViewsKey: message.adsViewsKey
        )
        metrics.recordBytes(models.bytesRead, .read)
        let keys = RunKeys(date: day, runID: message.runID)

        let recommendations = Array(RecommendationCSV.document(models.recommendations).utf8)
        let advertiserIDs = models.advertiserIDs
        let advertiserBytes = Array(RecommendationCSV.advertisersDocument(advertiserIDs).utf8)
        try await store.putObject(bucket: bucket, key: keys.modelsRecommendations, bytes: recommendations, contentType: "text/csv")
        try await store.putObject(bucket: bucket, key: keys.modelsAdvertisers, bytes: advertiserBytes, contentType: "text/csv")

        let inputs = [
            "advertisers": message.advertisersKey, "product_views": message.productViewsKey, "ads_views": message.adsViewsKey,
        ]
        let outputs = ["recommendations": keys.modelsRecommendations, "advertisers": keys.modelsAdvertisers]
        let manifest = ModelsManifest(
            runID: message.runID, date: day.description, inputs: inputs, outputs: outputs,
            recommendationRows: models.recommendations.count, advertisers: advertiserIDs.count,
            bytesRead: models.bytesRead, statistics: models.statistics
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let manifestBytes = Array(try encoder.encode(manifest))
        try await store.putObject(bucket: bucket, key: keys.modelsManifest, bytes: manifestBytes, contentType: "application/json")
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
        let completed = ModelsCompleted(
            runID: message.runID, date: message.date,
            recommendationsKey: keys.modelsRecommendations, advertisersKey: keys.modelsAdvertisers,
            recommendationRows: models.recommendations.count, advertisers: advertiserIDs.count
        )
        return (completed, counts, outputs.merging(["manifest": keys.modelsManifest]) { first, _ in first })
    }
}
