/// An object's bytes as an async sequence of chunks, downloaded with bounded memory.
///
/// Each iteration runs its own GET, started by `makeAsyncIterator()`. Dropping the iterator
/// or cancelling the consuming task aborts the transfer.
public struct S3ObjectStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let transport: S3Transport
    let bucket: String
    let key: String
    let range: ClosedRange<Int64>?

    /// Chunks handed to the consumer are coalesced to this size.
    static let chunkSize = 256 * 1024
    /// Bytes the producer may run ahead of the consumer.
    static let bufferLimit = 4 * chunkSize

    public func makeAsyncIterator() -> Iterator {
        let channel = S3ByteChannel(limit: Self.bufferLimit)
        let transport = transport
        let (bucket, key, range) = (bucket, key, range)
        Task(executorPreference: transport.blocking) {
            await transport.download(bucket: bucket, key: key, range: range, chunkSize: Self.chunkSize, into: channel)
        }
        return Iterator(consumer: Consumer(channel))
    }

    /// Collects the whole object; for tests and small objects.
    public func collect() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in self { bytes.append(contentsOf: chunk) }
        return bytes
    }

    public struct Iterator: AsyncIteratorProtocol {
        let consumer: Consumer

        public mutating func next() async throws -> [UInt8]? {
            try await consumer.channel.next()
        }
    }

    /// Cancels the download when the last copy of the iterator goes away.
    final class Consumer: Sendable {
        let channel: S3ByteChannel

        init(_ channel: S3ByteChannel) {
            self.channel = channel
        }

        deinit { channel.cancel() }
    }
}
