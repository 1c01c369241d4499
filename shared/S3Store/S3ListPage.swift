/// One ListObjectsV2 answer (at most `max-keys` entries).
public struct S3ListPage: Sendable, Equatable {
    public var objects: [S3ObjectSummary]
    /// Common prefixes when a delimiter was given.
    public var commonPrefixes: [String]
    /// Pass to the next call while non-nil.
    public var nextContinuationToken: String?

    public init(objects: [S3ObjectSummary], commonPrefixes: [String], nextContinuationToken: String?) {
        self.objects = objects
        self.commonPrefixes = commonPrefixes
        self.nextContinuationToken = nextContinuationToken
    }

    /// Reads a `ListBucketResult` document.
    init(xml: [UInt8]) throws(XMLScanner.Failure) {
        let root = try XMLScanner.parse(xml)
        guard root.name == "ListBucketResult" else {
            throw XMLScanner.Failure(reason: "expected ListBucketResult, got \(root.name)", offset: 0)
        }
        objects = root.children("Contents").compactMap { entry in
            guard let key = entry.text(of: "Key") else { return nil }
            return S3ObjectSummary(
                key: key, size: entry.text(of: "Size").flatMap { Int64($0) } ?? 0,
                eTag: entry.text(of: "ETag"), lastModified: entry.text(of: "LastModified"))
        }
        commonPrefixes = root.children("CommonPrefixes").compactMap { $0.text(of: "Prefix") }
        let truncated = root.text(of: "IsTruncated") == "true"
        let token = root.text(of: "NextContinuationToken")
        nextContinuationToken = truncated && token?.isEmpty == false ? token : nil
    }
}

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
