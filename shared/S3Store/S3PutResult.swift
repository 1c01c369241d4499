/// The outcome of an upload.
public struct S3PutResult: Sendable, Equatable {
    /// The new object's ETag, quotes included (multipart ETags end in `-<parts>`).
    public var eTag: String?
    /// Bytes uploaded.
    public var size: Int64
    /// Parts used; `0` for a single PUT.
    public var parts: Int

    public init(eTag: String?, size: Int64, parts: Int) {
        self.eTag = eTag
        self.size = size
        self.parts = parts
    }
}
