public import AdrecsDomain

/// models → writer: both models of the day are in S3.
public struct ModelsCompleted: WireMessage {
    public static let type = "models.completed"
    public static let currentVersion = 1

    public var version: Int
    public var runID: String
    /// The day processed; `YYYY-MM-DD` on the wire.
    public var date: Day
    /// Recommendations CSV: `date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr`.
    public var recommendationsKey: String
    /// The day's active advertisers, one per line.
    public var advertisersKey: String
    public var recommendationRows: Int
    public var advertisers: Int

    public init(runID: String, date: Day, recommendationsKey: String, advertisersKey: String, recommendationRows: Int, advertisers: Int) {
        self.version = Self.currentVersion
        self.runID = runID
        self.date = date
        self.recommendationsKey = recommendationsKey
        self.advertisersKey = advertisersKey
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
    }
}
