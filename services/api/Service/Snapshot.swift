import AdrecsDomain
public import Foundation
import Hummingbird

/// An immutable view of the last committed days, built once per reload and shared by every request.
///
/// Responses are pre-encoded: the latest date's list per advertiser and model, and the history per
/// advertiser; a past date (`?date=`) is assembled from a slice of the history bytes.
public final class Snapshot: Sendable {
    /// The days held, newest first (the latest committed date and those within 7 days before it).
    public let days: [DayStamp]
    /// Changes whenever any held day is committed again or a new day arrives (quoted, as sent).
    public let etag: String
    /// When this snapshot was built.
    public let loadedAt: Date
    /// The number of bytes of pre-encoded JSON held.
    public let byteCount: Int
    /// The number of advertisers known (with recommendations or active on any held day).
    public var advertiserCount: Int { advertisers.count }

    let advertisers: [ExactID: AdvertiserEntry]
    let stats: ByteBuffer
    let dayIndex: [Day: Int]

    init(days: [DayStamp], loadedAt: Date, advertisers: [ExactID: AdvertiserEntry], stats: ByteBuffer) {
        self.days = days
        self.loadedAt = loadedAt
        self.advertisers = advertisers
        self.stats = stats
        self.etag = Snapshot.etag(for: days)
        self.dayIndex = Dictionary(uniqueKeysWithValues: days.enumerated().map { ($0.element.date, $0.offset) })
        var bytes = stats.readableBytes
        for entry in advertisers.values {
            bytes += entry.history.readableBytes + entry.latest.reduce(0) { $0 + $1.readableBytes }
        }
        self.byteCount = bytes
    }

    /// The latest committed day.
    public var latest: DayStamp { days[0] }

    /// A strong ETag from the held dates and run ids (FNV-1a, 64 bits).
    static func etag(for days: [DayStamp]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for day in days {
            for byte in "\(day.date) \(day.runID);".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }
}

/// An id compared and hashed by its UTF-8 bytes, as the pipeline stores it: `String`'s `==` would
/// take canonically equivalent ids (`café` precomposed and `cafe` + U+0301) for one advertiser.
struct ExactID: Hashable, Sendable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: ExactID, rhs: ExactID) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        let hashed: Void? = text.utf8.withContiguousStorageIfAvailable { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        if hashed == nil {
            Array(text.utf8).withUnsafeBytes { hasher.combine(bytes: $0) }
        }
        hasher.combine(text.utf8.count)
    }
}

/// What a snapshot holds for one advertiser: the pre-encoded bodies and, per held day and model,
/// the encoded `items` array (a slice of the history body, so it costs no extra memory).
struct AdvertiserEntry: Sendable {
    /// The full `/recommendations` body of the latest date, indexed like ``ModelKind/allCases``.
    let latest: [ByteBuffer]
    /// The full `/history` body.
    let history: ByteBuffer
    /// `items[dayIndex][modelIndex]`: the JSON array of that day's list; day index as in ``Snapshot/days``.
    let items: [[ByteBuffer]]
}
