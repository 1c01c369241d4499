/// Deterministic test content: byte `i` of every test object is `TestBytes.byte(at: i)`,
/// so any slice can be recomputed without keeping the object.
enum TestBytes {
    static func byte(at index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 11 ^ index)
    }

    static func bytes(_ range: Range<Int>) -> [UInt8] { range.map(byte(at:)) }

    /// `total` bytes as an async sequence of `chunkSize`-byte chunks (the last may be shorter).
    static func chunks(total: Int, chunkSize: Int) -> Chunks { Chunks(total: total, chunkSize: chunkSize) }

    struct Chunks: AsyncSequence, Sendable {
        let total: Int
        let chunkSize: Int

        func makeAsyncIterator() -> Iterator { Iterator(total: total, chunkSize: chunkSize) }

        struct Iterator: AsyncIteratorProtocol {
            let total: Int
            let chunkSize: Int
            var offset = 0

            mutating func next() async -> [UInt8]? {
                guard offset < total else { return nil }
                let end = Swift.min(total, offset + chunkSize)
                defer { offset = end }
                return TestBytes.bytes(offset..<end)
            }
        }
    }
}
