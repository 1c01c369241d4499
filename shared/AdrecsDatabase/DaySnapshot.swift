/// One committed day with everything stored for it, read in one consistent snapshot.
public struct DaySnapshot: Sendable, Equatable {
    public var day: CommittedDay
    /// Ordered by advertiser id (bytewise), model, rank.
    public var recommendations: [StoredRecommendation]
    /// Bytewise order.
    public var advertisers: [String]

    public init(day: CommittedDay, recommendations: [StoredRecommendation], advertisers: [String]) {
        self.day = day
        self.recommendations = recommendations
        self.advertisers = advertisers
    }
}
