public import AdrecsDomain

/// The outcome of ``LocalModelRunner/run(selection:)``.
public struct LocalRunReport: Sendable {
    /// One result per computed date, in date order.
    public var results: [DayResult]
    /// What `advertiser_ids` held.
    public var advertiserIds: AdvertiserIdsStatistics
    /// Bytes read from `product_views` and `ads_views`.
    public var productViewsBytes: Int
    public var adsViewsBytes: Int
    /// Wall time of reading, parsing and computing (not writing output).
    public var elapsed: Duration

    /// Every row of every date, in CSV order.
    public var recommendations: [Recommendation] { results.flatMap(\.recommendations) }
}
