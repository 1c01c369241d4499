/// Reads an async sequence of byte chunks into part buffers of an exact size, carrying the
/// rest of a chunk over to the next buffer.
struct S3ChunkReader<Source: AsyncIteratorProtocol> where Source.Element: Collection<UInt8> {
    private var source: Source
    private var carry: [UInt8] = []
    private var carryOffset = 0
    private(set) var isFinished = false

    init(_ source: Source) {
        self.source = source
    }

    /// Appends to `buffer` until it holds `size` bytes (at most its capacity) or the stream ends.
    mutating func fill(_ buffer: S3PartBuffer, to size: Int) async throws {
        let size = min(size, buffer.capacity)
        while buffer.count < size {
            if carryOffset < carry.count {
                let take = min(size - buffer.count, carry.count - carryOffset)
                carry.withUnsafeBytes { buffer.append(UnsafeRawBufferPointer(rebasing: $0[carryOffset..<(carryOffset + take)])) }
                carryOffset += take
                continue
            }
            guard let chunk = try await source.next() else {
                isFinished = true
                return
            }
            let room = size - buffer.count
            let rest: [UInt8]? = chunk.withContiguousStorageIfAvailable { elements in
                let raw = UnsafeRawBufferPointer(elements)
                guard raw.count > room else {
                    buffer.append(raw)
                    return []
                }
                buffer.append(UnsafeRawBufferPointer(rebasing: raw[..<room]))
                // From a buffer pointer: one bulk copy, where a raw slice would copy byte by byte
                // in an unoptimized build (MiB-sized chunks, on the caller's thread).
                return Array(UnsafeBufferPointer(rebasing: elements[room...]))
            }
            carry = rest ?? Array(chunk)
            carryOffset = 0
        }
    }

    /// Whether more bytes may follow (a carried remainder or an unfinished stream).
    var hasMore: Bool { carryOffset < carry.count || !isFinished }
}
