public import S3Store

/// The object store as the stage services use it: ``S3Client`` in the services, an in-memory
/// store in unit tests of the stages' logic (`InMemoryObjectStore` in the test support).
///
/// Each operation keeps the meaning of its ``S3Client`` counterpart: a missing key makes
/// `getObject` throw an ``S3Error`` with ``S3Error/isNotFound`` and `headObject` answer `nil`.
public protocol ObjectStore: Sendable {
    /// A whole object, or the inclusive byte `range` of it, in memory; for small objects.
    func getObject(bucket: String, key: String, range: ClosedRange<Int64>?) async throws -> [UInt8]

    /// An object as a stream of chunks, downloaded with bounded memory when iterated.
    func objectChunks(bucket: String, key: String) -> any AsyncSequence<[UInt8], any Error>

    /// The object's size, ETag and content type, or `nil` if it does not exist.
    func headObject(bucket: String, key: String) async throws -> S3ObjectInfo?

    /// Stores `bytes` under `key`.
    @discardableResult
    func putObject(bucket: String, key: String, bytes: [UInt8], contentType: String) async throws -> S3PutResult

    /// Stores a stream of chunks under `key`, with up to `partsInFlight` parts of a large stream
    /// sent at once.
    @discardableResult
    func putObject<Chunks: AsyncSequence>(
        bucket: String, key: String, chunks: Chunks, contentType: String, partsInFlight: Int
    ) async throws -> S3PutResult where Chunks.Element: Collection<UInt8>
}

extension S3Client: ObjectStore {
    public func objectChunks(bucket: String, key: String) -> any AsyncSequence<[UInt8], any Error> {
        getObjectStream(bucket: bucket, key: key)
    }
}
