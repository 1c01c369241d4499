/// The active advertisers, interned to dense indices 0..<count in file order.
public struct ActiveAdvertisers: Sendable {
    private let interner: ByteInterner
    /// What parsing found (lines, duplicates, malformed).
    public let statistics: AdvertiserIdsStatistics
    /// The ids by index.
    public let ids: [String]

    init(interner: ByteInterner, statistics: AdvertiserIdsStatistics) {
        self.interner = interner
        self.statistics = statistics
        self.ids = (0..<interner.count).map { String(decoding: interner.bytes(at: $0), as: UTF8.self) }
    }

    /// Parses the whole content of `advertiser_ids`, given as chunks.
    public init(parsing chunks: some Sequence<[UInt8]>) {
        var parser = ActiveAdvertisersParser()
        for chunk in chunks { parser.feed(chunk) }
        self = parser.finish()
    }

    /// Parses the whole content of `advertiser_ids`.
    public init(parsing content: String) {
        self.init(parsing: [Array(content.utf8)])
    }

    /// The active set made of `ids` (tests, tools).
    public init(ids: [String]) {
        self.init(parsing: ["advertiser_id\n" + ids.joined(separator: "\n")].map { Array($0.utf8) })
    }

    public var count: Int { ids.count }

    /// The index of an active advertiser, `nil` when inactive.
    @inline(__always)
    public func index(of id: UnsafeRawBufferPointer) -> Int? {
        interner.index(of: id)
    }

    public func index(of id: String) -> Int? {
        Array(id.utf8).withUnsafeBytes { interner.index(of: $0) }
    }

    /// Whether `id` is active.
    public func contains(_ id: String) -> Bool { index(of: id) != nil }
}
