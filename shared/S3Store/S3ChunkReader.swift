/// Reads an async sequence of byte chunks into buffers of an exact size, carrying the rest
/// of a chunk over to the next buffer, so part buffers never grow past their capacity.
struct S3ChunkReader<Source: AsyncIteratorProtocol> where Source.Element: Collection<UInt8> {
    private var source: Source
    private var carry: [UInt8] = []
    private var carryOffset = 0
    private(set) var isFinished = false

    init(_ source: Source) {
        self.source = source
    }

    /// Appends to `buffer` until it holds `size` bytes or the stream ends.
    mutating func fill(_ buffer: inout [UInt8], to size: Int) async throws {
        while buffer.count < size {
            if carryOffset < carry.count {
                let take = min(size - buffer.count, carry.count - carryOffset)
                buffer.append(contentsOf: carry[carryOffset..<(carryOffset + take)])
                carryOffset += take
                continue
            }
            guard let chunk = try await source.next() else {
                isFinished = true
                return
            }
            let room = size - buffer.count
            if chunk.count <= room {
                buffer.append(contentsOf: chunk)
            } else {
                let split = chunk.index(chunk.startIndex, offsetBy: room)
                buffer.append(contentsOf: chunk[..<split])
                carry = Array(chunk[split...])
                carryOffset = 0
            }
        }
    }

    /// Whether more bytes may follow (buffered carry or an unfinished stream).
    var hasMore: Bool { carryOffset < carry.count || !isFinished }
}
