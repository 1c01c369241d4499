import Testing

@testable import S3Store

@Suite("Chunk reader")
struct S3ChunkReaderTests {
    @Test(arguments: [(10_000, 7, 1000), (10_000, 1000, 1000), (999, 4096, 100), (0, 10, 10), (5000, 1, 333)])
    func fillsExactBuffersAcrossChunkBoundaries(total: Int, chunkSize: Int, bufferSize: Int) async throws {
        var reader = S3ChunkReader(TestBytes.chunks(total: total, chunkSize: chunkSize).makeAsyncIterator())
        var collected: [UInt8] = []
        var sizes: [Int] = []
        while reader.hasMore {
            let buffer = S3PartBuffer(capacity: bufferSize)
            try await reader.fill(buffer, to: bufferSize)
            if buffer.count == 0 { break }
            sizes.append(buffer.count)
            collected.append(contentsOf: buffer.bytes)
        }
        #expect(TestBytes.matches(collected, 0..<total))
        #expect(sizes.dropLast().allSatisfy { $0 == bufferSize })
        #expect(sizes.count == (total + bufferSize - 1) / bufferSize)
    }

    @Test func partBufferAppendsAndResets() {
        let buffer = S3PartBuffer(capacity: 8)
        ([1, 2, 3] as [UInt8]).withUnsafeBytes { buffer.append($0) }
        #expect(Array(buffer.bytes) == [1, 2, 3])
        #expect(buffer.remainingCapacity == 5)
        buffer.removeAll()
        ([9] as [UInt8]).withUnsafeBytes { buffer.append($0) }
        #expect(Array(buffer.bytes) == [9])
    }
}
