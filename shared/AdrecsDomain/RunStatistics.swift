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
