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
