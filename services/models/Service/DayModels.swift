public import AdrecsDomain

/// Both models of one date, computed from the day's filtered objects.
public struct DayModels: Sendable {
    public var day: Day
    /// The active advertisers the models ranked for.
    public var active: ActiveAdvertisers
    /// Every row of the date, in CSV order (empty when the day had no rows).
    public var recommendations: [Recommendation]
    /// The date's statistics; `nil` when neither log had a row of the date.
    public var statistics: RunStatistics?
    /// Bytes read from S3: advertisers, product_views, ads_views.
    public var bytesRead: Int

    /// The active advertiser ids in byte order.
    public var advertiserIDs: [String] {
        active.ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
