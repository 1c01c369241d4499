public import AdrecsStorage
public import S3Store
import Synchronization

/// An ``ObjectStore`` in memory, for unit tests of the stages' logic: objects by bucket and key,
/// streams cut into small chunks (so lines cross chunk boundaries), S3's answer for a missing key,
/// and an error every request can be made to throw (an unreachable S3).
public final class InMemoryObjectStore: ObjectStore {
    public struct Object: Sendable, Equatable {
        public var bytes: [UInt8]
        public var contentType: String
    }

    private struct State {
        var objects: [String: [String: Object]] = [:]
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    /// The size of the chunks ``objectChunks(bucket:key:)`` yields.
    public let chunkSize: Int

    public init(chunkSize: Int = 7) {
        self.chunkSize = max(1, chunkSize)
    }

    /// Every later request throws `error` (`nil`: requests succeed again).
    public func failEveryRequest(with error: (any Error)?) {
        state.withLock { $0.failure = error }
    }

    /// The object at `key`, if any.
    public func object(bucket: String, key: String) -> Object? {
        state.withLock { $0.objects[bucket]?[key] }
    }

    /// The object at `key` as UTF-8 text, if any.
    public func text(bucket: String, key: String) -> String? {
        object(bucket: bucket, key: key).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The keys of `bucket`, sorted.
    public func keys(bucket: String) -> [String] {
        state.withLock { ($0.objects[bucket] ?? [:]).keys.sorted() }
    }

    private func stored(bucket: String, key: String) throws -> Object? {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            return state.objects[bucket]?[key]
        }
    }

    private func store(_ object: Object, bucket: String, key: String) throws -> S3PutResult {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            state.objects[bucket, default: [:]][key] = object
        }
        return S3PutResult(eTag: "\"\(object.bytes.count)\"", size: Int64(object.bytes.count), parts: 0)
    }

    // MARK: - ObjectStore

    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>?) async throws -> [UInt8] {
        guard let object = try stored(bucket: bucket, key: key) else {
            throw S3Error(
                kind: .service, operation: .getObject, bucket: bucket, key: key, httpStatus: 404, code: "NoSuchKey",
                message: "The specified key does not exist.")
        }
        guard let range else { return object.bytes }
        let lower = min(Int(range.lowerBound), object.bytes.count)
        let upper = min(Int(range.upperBound) + 1, object.bytes.count)
        return Array(object.bytes[lower..<upper])
    }

    public func objectChunks(bucket: String, key: String) -> any AsyncSequence<[UInt8], any Error> {
        Chunks(store: self, bucket: bucket, key: key)
    }

    public func headObject(bucket: String, key: String) async throws -> S3ObjectInfo? {
        try stored(bucket: bucket, key: key).map {
            S3ObjectInfo(size: Int64($0.bytes.count), eTag: nil, contentType: $0.contentType, lastModified: nil)
        }
    }

    @discardableResult
    public func putObject(bucket: String, key: String, bytes: [UInt8], contentType: String) async throws -> S3PutResult {
        try store(Object(bytes: bytes, contentType: contentType), bucket: bucket, key: key)
    }

    @discardableResult
    public func putObject<Source: AsyncSequence>(
        bucket: String, key: String, chunks: Source, contentType: String, partsInFlight: Int
    ) async throws -> S3PutResult where Source.Element: Collection<UInt8> {
        var bytes: [UInt8] = []
        for try await chunk in chunks { bytes.append(contentsOf: chunk) }
        return try store(Object(bytes: bytes, contentType: contentType), bucket: bucket, key: key)
    }

    /// An object read in ``chunkSize`` pieces; the object is looked up when iteration starts.
    struct Chunks: AsyncSequence, Sendable {
        let store: InMemoryObjectStore
        let bucket: String
        let key: String

        func makeAsyncIterator() -> Iterator { Iterator(chunks: self) }

        struct Iterator: AsyncIteratorProtocol {
            let chunks: Chunks
            var bytes: [UInt8]?
            var offset = 0

            mutating func next() async throws -> [UInt8]? {
                if bytes == nil {
                    bytes = try await chunks.store.getObject(bucket: chunks.bucket, key: chunks.key, range: nil)
                }
                guard let bytes, offset < bytes.count else { return nil }
                let end = Swift.min(offset + chunks.store.chunkSize, bytes.count)
                defer { offset = end }
                return Array(bytes[offset..<end])
            }
        }
    }
}
