/// Streams the content of `advertiser_ids` into ``ActiveAdvertisers``.
///
/// The first line is the header; every other line is one id. Malformed lines (``malformedReason(_:)``)
/// are counted and skipped; duplicates collapse into the first occurrence.
public struct ActiveAdvertisersParser: Sendable {
    private var splitter = LineSplitter()
    private var interner = ByteInterner()
    private var statistics = AdvertiserIdsStatistics()

    public init() {}

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.feed(chunk) { line, number in add(line, number) }
        swap(&splitter, &self.splitter)
    }

    public mutating func feed(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { feed($0) }
    }

    /// Ends the stream and returns the active set.
    public mutating func finish() -> ActiveAdvertisers {
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.finish { line, number in add(line, number) }
        swap(&splitter, &self.splitter)
        statistics.active = interner.count
        return ActiveAdvertisers(interner: interner, statistics: statistics)
    }

    private mutating func add(_ line: UnsafeRawBufferPointer, _ number: Int) {
        guard number > 1 else { return }
        statistics.linesRead += 1
        if let reason = Self.malformedReason(line) {
            statistics.malformed[reason, default: 0] += 1
        } else if !interner.intern(line).inserted {
            statistics.duplicates += 1
        }
    }

    /// Why a line (not the header) of `advertiser_ids` is malformed, or `nil` when it is an id:
    /// `blank_line`, `field_count` (it contains `,`), `id_too_long`, `invalid_utf8`.
    public static func malformedReason(_ line: UnsafeRawBufferPointer) -> MalformedReason? {
        guard let base = line.baseAddress, !line.isEmpty else { return .blankLine }
        if line.contains(UInt8(ascii: ",")) { return .fieldCount }
        return MalformedReason.ofIDs(base, upTo: line.count, longest: line.count)
    }
}
