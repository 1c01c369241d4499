/// One entry of a listing.
public struct S3ObjectSummary: Sendable, Equatable {
    public var key: String
    public var size: Int64
    public var eTag: String?
    /// `LastModified` as sent (ISO 8601).
    public var lastModified: String?

    public init(key: String, size: Int64, eTag: String?, lastModified: String?) {
        self.key = key
        self.size = size
        self.eTag = eTag
        self.lastModified = lastModified
    }
}
