public import AdrecsDomain
import Dispatch
import Synchronization

/// Computes TopProduct and TopCTR from a local folder holding `advertiser_ids`, `product_views`
/// and `ads_views` (each with or without `.csv`).
///
/// Files are read in chunks (1 MiB by default); the two logs are processed concurrently.
public struct LocalModelRunner: Sendable {
    public let directory: String
    public let chunkSize: Int

    public init(directory: String, chunkSize: Int = 1 << 20) {
        self.directory = directory
        self.chunkSize = chunkSize
    }

    /// The path of input `name`: `directory/name`, else `directory/name.csv`.
    public func path(of name: String) throws(ModelsError) -> String {
        let base = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if LocalFileReader.exists(base) { return base }
        if LocalFileReader.exists(base + ".csv") { return base + ".csv" }
        throw .inputNotFound(directory: directory, name: name)
    }

    /// Reads the folder once and computes `selection`.
    public func run(selection: DaySelection) throws(ModelsError) -> LocalRunReport {
        let clock = ContinuousClock()
        let start = clock.now
        let advertiserPath = try path(of: "advertiser_ids")
        let productViewsPath = try path(of: LogKind.productViews.fileName)
        let adsViewsPath = try path(of: LogKind.adsViews.fileName)

        var advertiserParser = ActiveAdvertisersParser()
        var advertiserReader = try LocalFileReader(path: advertiserPath, chunkSize: chunkSize)
        _ = try advertiserReader.forEachChunk { advertiserParser.feed($0) }
        let active = advertiserParser.finish()

        let chunkSize = self.chunkSize
        let productViews = Mutex<Result<(ProductViewsAggregator, Int), ModelsError>?>(nil)
        let adsViews = Mutex<Result<(AdsViewsAggregator, Int), ModelsError>?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                let result = Result { () throws(ModelsError) -> (ProductViewsAggregator, Int) in
                    try Self.stream(
                        productViewsPath, chunkSize: chunkSize, into: ProductViewsAggregator(selection: selection, active: active),
                        feed: { $0.feed($1) }, finish: { $0.finish() })
                }
                productViews.withLock { $0 = result }
            } else {
                let result = Result { () throws(ModelsError) -> (AdsViewsAggregator, Int) in
                    try Self.stream(
                        adsViewsPath, chunkSize: chunkSize, into: AdsViewsAggregator(selection: selection, active: active),
                        feed: { $0.feed($1) }, finish: { $0.finish() })
                }
                adsViews.withLock { $0 = result }
            }
        }
        guard let productViewsResult = productViews.withLock({ $0 }), let adsViewsResult = adsViews.withLock({ $0 }) else {
            preconditionFailure("concurrentPerform returned before both logs were processed")
        }
        let (productViewsAggregator, productViewsBytes) = try productViewsResult.get()
        let (adsViewsAggregator, adsViewsBytes) = try adsViewsResult.get()
        let results = DailyModelRun.results(active: active, productViews: productViewsAggregator, adsViews: adsViewsAggregator)
        return LocalRunReport(
            results: results,
            advertiserIds: active.statistics,
            productViewsBytes: productViewsBytes,
            adsViewsBytes: adsViewsBytes,
            elapsed: clock.now - start
        )
    }

    /// Feeds the file at `path` to `aggregator` chunk by chunk, finishes it and returns it with the
    /// bytes read.
    private static func stream<Aggregator>(
        _ path: String, chunkSize: Int, into aggregator: Aggregator,
        feed: (inout Aggregator, UnsafeRawBufferPointer) -> Void, finish: (inout Aggregator) -> Void
    ) throws(ModelsError) -> (Aggregator, Int) {
        var aggregator = aggregator
        var reader = try LocalFileReader(path: path, chunkSize: chunkSize)
        let bytes = try reader.forEachChunk { feed(&aggregator, $0) }
        finish(&aggregator)
        return (aggregator, bytes)
    }
}
