import AdrecsDatabase
public import AdrecsDomain

/// Where snapshots come from: the committed days in PostgreSQL (``DayReaderSnapshotSource``) or,
/// in tests, memory (``InMemorySnapshotSource``). The router never calls it: only the reloader does.
public protocol SnapshotSource: Sendable {
    /// The committed days' dates and run ids, newest first, at most `limit` (a cheap change check).
    func committedDays(limit: Int) async throws -> [DayStamp]
    /// Reads the newest `limit` committed days consistently (one database snapshot) into
    /// `builder`: `begin` once, then `consume` for every row, ordered by advertiser id (bytewise), date
    /// (newest first), model, rank.
    func load(limit: Int, into builder: inout SnapshotBuilder) async throws
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

/// One committed day held in memory (``InMemorySnapshotSource``, ``Snapshot/build(days:loadedAt:)``).
public struct SnapshotDay: Sendable {
    public var stamp: DayStamp
    /// Any order; each row counts for `stamp`'s date.
    public var recommendations: [Recommendation]
    public var activeAdvertisers: [String]

    public init(stamp: DayStamp, recommendations: [Recommendation], activeAdvertisers: [String]) {
        self.stamp = stamp
        self.recommendations = recommendations
        self.activeAdvertisers = activeAdvertisers
    }
}

extension DayStamp {
    /// The stamp of a `committed_days` row.
    init(_ day: CommittedDay) throws {
        guard let date = Day(day.date) else {
            throw APIError(status: .internalServerError, code: "bad_row", message: "committed_days.date \(day.date) is not a date")
        }
        self.init(date: date, runID: day.runID, committedAt: day.committedAt)
    }
}
