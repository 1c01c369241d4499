import Hummingbird

/// Packs many small immutable byte strings into large buffers; slices are handed out only once
/// all bytes are written (``slice(_:)`` after ``finish()``), so no write ever copies a shared chunk.
///
/// A `ByteBuffer` rounds its capacity up to a power of two, so 3,200 separately allocated ~20 KiB
/// histories would waste about a third of their memory; packed into 4 MiB chunks, only each
/// chunk's tail is wasted.
struct ByteArena {
    /// Where stored bytes are: chunk index and range within it.
    struct Ref {
        var chunk: Int
        var range: Range<Int>

        /// A sub-range, relative to this ref's start.
        func sub(_ relative: Range<Int>) -> Ref {
            Ref(chunk: chunk, range: (range.lowerBound + relative.lowerBound)..<(range.lowerBound + relative.upperBound))
        }
    }

    static let chunkSize = 1 << 22

    private var chunks: [ByteBuffer] = []

    /// Copies `bytes`' readable bytes in.
    mutating func store(_ bytes: ByteBuffer) -> Ref {
        let count = bytes.readableBytes
        if chunks.isEmpty || chunks[chunks.count - 1].capacity - chunks[chunks.count - 1].writerIndex < count {
            var chunk = ByteBuffer()
            chunk.reserveCapacity(max(Self.chunkSize, count))
            chunks.append(chunk)
        }
        let index = chunks.count - 1
        let start = chunks[index].writerIndex
        var copy = bytes
        chunks[index].writeBuffer(&copy)
        return Ref(chunk: index, range: start..<(start + count))
    }

    /// The bytes of `ref` (shares the chunk's storage).
    func slice(_ ref: Ref) -> ByteBuffer {
        chunks[ref.chunk].getSlice(at: ref.range.lowerBound, length: ref.range.count)!
    }
}
