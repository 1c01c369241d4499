/// Streams the content of `advertiser_ids` into ``ActiveAdvertisers``.
///
/// The first line is the header. Blank lines and lines containing `,` are malformed;
/// duplicates collapse into the first occurrence.
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
        if line.isEmpty {
            statistics.malformed[.blankLine, default: 0] += 1
        } else if line.contains(UInt8(ascii: ",")) {
            statistics.malformed[.fieldCount, default: 0] += 1
        } else if !interner.intern(line).inserted {
            statistics.duplicates += 1
        }
    }
}
