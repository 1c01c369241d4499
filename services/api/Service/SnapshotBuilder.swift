public import AdrecsDatabase
public import AdrecsDomain
public import Foundation
import Hummingbird

/// Builds a ``Snapshot`` from rows streamed advertiser by advertiser (see ``SnapshotSource``):
/// each advertiser's bodies are encoded as soon as its last row has arrived, so only one
/// advertiser's rows are held at a time, besides the encoded bytes.
///
/// Call ``begin(_:)`` once with the days, then ``consume(_:)`` for every row ordered by
/// advertiser id, date (newest first), model, rank (each advertiser's rows contiguous), then
/// ``finish()``. Days outside the window of the newest and their rows are dropped.
public struct SnapshotBuilder {
    let loadedAt: Date
    /// The days held, newest first.
    private(set) var days: [DayStamp] = []
    private var dayIndex: [Day: Int] = [:]
    private var latestActiveCount = 0
    /// Active on a held day and not encoded yet: they get entries with empty lists at the end.
    private var pendingActive: Set<ExactID> = []
    /// The advertiser whose rows are arriving, and its lists (`lists[dayIndex][modelIndex]`).
    private var current: ExactID?
    private var lists: [[[Recommendation]]] = []
    private var encoded: [ExactID: EncodedRefs] = [:]
    var arena = ByteArena()
    private var tally = StatsTally()
    private var begun = false

    public init(loadedAt: Date = Date()) {
        self.loadedAt = loadedAt
    }

    /// Sets the days (any order) and each day's active advertisers; call once, before any row.
    public mutating func begin(_ input: [(stamp: DayStamp, activeAdvertisers: [String])]) throws {
        guard !begun else { throw Self.badOrder("begin was called twice") }
        start(input)
    }

    /// Adds one row; rows of days not held are ignored.
    public mutating func consume(_ row: Recommendation) throws {
        guard begun else { throw Self.badOrder("a row arrived before the days") }
        let advertiser = ExactID(row.advertiserId)
        if advertiser != current, encoded[advertiser] != nil {
            throw Self.badOrder("the rows of advertiser \(row.advertiserId) are not contiguous")
        }
        append(row)
    }

    mutating func start(_ input: [(stamp: DayStamp, activeAdvertisers: [String])]) {
        begun = true
        guard let newest = input.map(\.stamp.date).max() else { return }
        let horizon = newest.daysSince1970 - Snapshot.windowDays
        let held = input.filter { $0.stamp.date.daysSince1970 > horizon }.sorted { $0.stamp.date > $1.stamp.date }
        days = held.map(\.stamp)
        dayIndex = Dictionary(days.enumerated().map { ($0.element.date, $0.offset) }) { first, _ in first }
        latestActiveCount = Set(held[0].activeAdvertisers.map(ExactID.init)).count
        for day in held { pendingActive.formUnion(day.activeAdvertisers.map(ExactID.init)) }
        lists = Self.emptyLists(days: days.count)
    }

    /// Adds a row in order (checked by ``consume(_:)``).
    mutating func append(_ row: Recommendation) {
        guard let day = dayIndex[row.day] else { return }
        let advertiser = ExactID(row.advertiserId)
        if advertiser != current {
            flush()
            current = advertiser
        }
        lists[day][row.model.index].append(row)
    }

    /// The snapshot, or `nil` when no day was given.
    public consuming func finish() -> Snapshot? {
        guard !days.isEmpty else { return nil }
        flush()
        lists = Self.emptyLists(days: days.count)
        for advertiser in pendingActive {
            encoded[advertiser] = encodeAdvertiser(advertiser.text, lists: lists)
        }
        pendingActive = []
        // Slices are taken only now that the arena is complete (see ``ByteArena``).
        var advertisers: [ExactID: AdvertiserEntry] = [:]
        advertisers.reserveCapacity(encoded.count)
        for (advertiser, ref) in encoded {
            advertisers[advertiser] = AdvertiserEntry(
                latest: ref.latest.map(arena.slice), history: arena.slice(ref.history),
                items: ref.items.map { $0.map(arena.slice) })
        }
        encoded = [:]
        let stats = SnapshotStats(days: days, activeAdvertisers: latestActiveCount, tally: tally, loadedAt: loadedAt)
        return Snapshot(days: days, loadedAt: loadedAt, advertisers: advertisers, stats: stats.encoded())
    }

    /// Encodes the current advertiser and empties its lists.
    private mutating func flush() {
        guard let advertiser = current else { return }
        for d in lists.indices {
            for m in lists[d].indices where lists[d][m].count > 1 {
                lists[d][m].sort { $0.rank < $1.rank }
            }
        }
        tally.add(advertiser.text, lists: lists)
        encoded[advertiser] = encodeAdvertiser(advertiser.text, lists: lists)
        pendingActive.remove(advertiser)
        for d in lists.indices {
            for m in lists[d].indices { lists[d][m].removeAll(keepingCapacity: true) }
        }
        current = nil
    }

    private static func emptyLists(days: Int) -> [[[Recommendation]]] {
        Array(repeating: Array(repeating: [], count: ModelKind.allCases.count), count: days)
    }

    private static func badOrder(_ message: String) -> APIError {
        APIError(status: .internalServerError, code: "bad_row", message: message)
    }
}

extension SnapshotBuilder: DaySnapshotConsumer {
    public mutating func begin(_ days: [DaySnapshot]) throws {
        try begin(days.map { (stamp: try DayStamp($0.day), activeAdvertisers: $0.advertisers) })
    }
}
