public import AdrecsDomain

/// Where snapshots come from: the committed days in PostgreSQL (``DayReaderSnapshotSource``) or,
/// in tests, memory (``InMemorySnapshotSource``). The router never calls it: only the reloader does.
public protocol SnapshotSource: Sendable {
    /// The committed days' dates and run ids, newest first, at most `limit` (a cheap change check).
    func committedDays(limit: Int) async throws -> [DayStamp]
    /// The newest `limit` committed days with their rows, read consistently (one database snapshot).
    func loadDays(limit: Int) async throws -> [SnapshotDay]
}

/// One committed day as `committed_days` records it.
public struct DayStamp: Sendable, Hashable {
    public var date: Day
    public var runID: String
    /// ISO 8601, as stored.
    public var committedAt: String

    public init(date: Day, runID: String, committedAt: String) {
        self.date = date
        self.runID = runID
        self.committedAt = committedAt
    }
}

/// Everything the snapshot holds about one committed day.
public struct SnapshotDay: Sendable {
    public var stamp: DayStamp
    public var recommendations: [SnapshotRecommendation]
    public var activeAdvertisers: [String]

    public init(stamp: DayStamp, recommendations: [SnapshotRecommendation], activeAdvertisers: [String]) {
        self.stamp = stamp
        self.recommendations = recommendations
        self.activeAdvertisers = activeAdvertisers
    }
}

/// One row of `recommendations`.
public struct SnapshotRecommendation: Sendable, Equatable {
    public var advertiserID: String
    public var model: ModelKind
    public var rank: Int
    public var productID: String
    public var views: Int?
    public var impressions: Int?
    public var clicks: Int?
    public var ctr: Double?

    public init(
        advertiserID: String, model: ModelKind, rank: Int, productID: String,
        views: Int? = nil, impressions: Int? = nil, clicks: Int? = nil, ctr: Double? = nil
    ) {
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
