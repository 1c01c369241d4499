/// Everything counted while computing one day; goes into the run manifest.
public struct RunStatistics: Codable, Sendable, Equatable {
    public var day: Day
    public var advertiserIds: AdvertiserIdsStatistics
    public var productViews: LogStatistics
    public var adsViews: LogStatistics
    public var anomalies: AnomalyStatistics
    public var shortLists: ShortLists

    public init(
        day: Day, advertiserIds: AdvertiserIdsStatistics, productViews: LogStatistics, adsViews: LogStatistics,
        anomalies: AnomalyStatistics, shortLists: ShortLists
    ) {
        self.day = day
        self.advertiserIds = advertiserIds
        self.productViews = productViews
        self.adsViews = adsViews
        self.anomalies = anomalies
        self.shortLists = shortLists
    }
}

/// Oddities of the ads log on one day, over active advertisers.
public struct AnomalyStatistics: Codable, Sendable, Equatable {
    /// (advertiser, product) pairs with clicks but no impression: not TopCTR candidates.
    public var clickedWithoutImpressionProducts: Int = 0
    /// The clicks of those pairs.
    public var clickedWithoutImpressionClicks: Int = 0
    /// Candidates with more clicks than impressions (ctr > 1), kept in the ranking.
    public var ctrAboveOneProducts: Int = 0

    public init() {}
}

/// Active advertisers whose ranking has fewer items than the limit, with their item counts.
public struct ShortLists: Codable, Sendable, Equatable {
    public var topProduct: [String: Int] = [:]
    public var topCTR: [String: Int] = [:]

    public init() {}
}
