import AdrecsConcurrency
import AdrecsDomain
import AdrecsStorage
import Zstd

/// Computes ``DayModels`` for one date from S3 objects (an ``ObjectStore``), streaming the two logs concurrently
/// through the domain's aggregators: memory grows with the distinct (advertiser, product) pairs,
/// never with the size of the objects.
///
/// The CPU-bound parsing runs on `executor`'s dedicated threads, so the cooperative pool stays free
/// for the heartbeat, the ops HTTP server and the sockets.
struct S3DayModelsReader: Sendable {
    let store: any ObjectStore
    let bucket: String
    let executor: BlockingExecutor

    func compute(day: Day, advertisersKey: String, productViewsKey: String, adsViewsKey: String) async throws -> DayModels {
        let advertiserBytes = try await store.getObject(bucket: bucket, key: advertisersKey, range: nil)
        var parser = ActiveAdvertisersParser()
        parser.feed(advertiserBytes)
        let active = parser.finish()

        let selection = DaySelection.single(day)
        async let productViews = withTaskExecutorPreference(executor) {
            try await stream(productViewsKey, into: ProductViewsAggregator(selection: selection, active: active)) {
                $0.feed($1)
            } finish: {
                $0.finish()
            }
        }
        async let adsViews = withTaskExecutorPreference(executor) {
            try await stream(adsViewsKey, into: AdsViewsAggregator(selection: selection, active: active)) {
                $0.feed($1)
            } finish: {
                $0.finish()
            }
        }
        let (productViewsAggregator, productViewsBytes) = try await productViews
        let (adsViewsAggregator, adsViewsBytes) = try await adsViews
        let result = DailyModelRun.results(active: active, productViews: productViewsAggregator, adsViews: adsViewsAggregator)
            .first { $0.day == day }
        return DayModels(
            day: day,
            active: active,
            recommendations: result?.recommendations ?? [],
            statistics: result?.statistics,
            bytesRead: advertiserBytes.count + productViewsBytes + adsViewsBytes
        )
    }

    /// Feeds the decompressed bytes of `key` (a `.csv.zst` object) into `aggregator`; returns it
    /// finished, with the bytes read from S3.
    private func stream<Aggregator: Sendable>(
        _ key: String,
        into aggregator: Aggregator,
        feed: (inout Aggregator, UnsafeRawBufferPointer) -> Void,
        finish: (inout Aggregator) -> Void
    ) async throws -> (Aggregator, Int) {
        var aggregator = aggregator
        var bytes = 0
        let decoder = try ZstdDecoder()
        do {
            for try await chunk in store.objectChunks(bucket: bucket, key: key) {
                try Task.checkCancellation()
                bytes += chunk.count
                try decoder.decompress(chunk) { feed(&aggregator, $0) }
            }
            try decoder.finish()
        } catch let error as ZstdError {
            throw ModelsError.undecodableObject(key: key, reason: error.message)
        }
        finish(&aggregator)
        return (aggregator, bytes)
    }
}
