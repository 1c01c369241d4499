public import AdrecsDomain

/// ingest → models: the day's filtered inputs are in S3.
public struct IngestCompleted: WireMessage {
    public static let type = "ingest.completed"
    public static let currentVersion = 1

    public var version: Int
    public var runID: String
    /// The day processed; `YYYY-MM-DD` on the wire.
    public var date: Day
    /// Filtered `product_views` rows of the day (input columns).
    public var productViewsKey: String
    /// Filtered `ads_views` rows of the day (input columns).
    public var adsViewsKey: String
    /// The active advertisers, one per line.
    public var advertisersKey: String
    /// The run's statistics as JSON.
    public var manifestKey: String
    public var productViewRows: Int
    public var adsViewRows: Int

    public init(
        runID: String, date: Day, productViewsKey: String, adsViewsKey: String,
        advertisersKey: String, manifestKey: String, productViewRows: Int, adsViewRows: Int
    ) {
        self.version = Self.currentVersion
        self.runID = runID
        self.date = date
        self.productViewsKey = productViewsKey
        self.adsViewsKey = adsViewsKey
        self.advertisersKey = advertisersKey
        self.manifestKey = manifestKey
        self.productViewRows = productViewRows
        self.adsViewRows = adsViewRows
    }
}
