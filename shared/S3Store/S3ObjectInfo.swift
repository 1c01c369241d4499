/// An object's metadata, from HEAD.
public struct S3ObjectInfo: Sendable, Equatable {
    public var size: Int64
    /// The ETag as sent, quotes included.
    public var eTag: String?
    public var contentType: String?
    /// The `Last-Modified` header as sent (RFC 7231 date).
    public var lastModified: String?

    public init(size: Int64, eTag: String?, contentType: String?, lastModified: String?) {
        self.size = size
        self.eTag = eTag
        self.contentType = contentType
        self.lastModified = lastModified
    }
}
