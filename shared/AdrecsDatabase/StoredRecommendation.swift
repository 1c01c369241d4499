/// One row of `recommendations`.
public struct StoredRecommendation: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var date: String
    public var advertiserID: String
    /// `TopCTR` or `TopProduct`.
    public var model: String
    public var rank: Int
    public var productID: String
    public var views: Int?
    public var impressions: Int?
    public var clicks: Int?
    public var ctr: Double?

    public init(
        date: String, advertiserID: String, model: String, rank: Int, productID: String,
        views: Int? = nil, impressions: Int? = nil, clicks: Int? = nil, ctr: Double? = nil
    ) {
        self.date = date
        self.advertiserID = advertiserID
        self.model = model
        self.rank = rank
        self.productID = productID
        self.views = views
        self.impressions = impressions
        self.clicks = clicks
        self.ctr = ctr
    }
}
