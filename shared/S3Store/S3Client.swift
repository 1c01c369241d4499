/// An S3 client over libcurl with SigV4, retries and bounded-memory streaming.
///
/// Every `curl_easy_perform` runs on dedicated blocking threads (a `BlockingExecutor`, see
/// ``S3Configuration/maxConcurrentTransfers``), never on the cooperative pool;
/// curl handles (and their connections) are pooled and reused.
public final class S3Client: Sendable {
    let transport: S3Transport

    /// Validates the configuration; throws ``S3Error`` (`.invalidRequest`) if it is unusable.
    public init(configuration: S3Configuration) throws {
        self.transport = try S3Transport(configuration: configuration)
    }

    public var configuration: S3Configuration { transport.configuration }

    /// Attempts repeated after a transient failure (5xx, `SlowDown`, a reset or timed-out
    /// connection) since this client was made, over every request, part and download resume:
    /// for a service's metrics and tests.
    public var retryCount: Int { transport.retries.load(ordering: .relaxed) }

    // MARK: - Buckets

    /// Creates a bucket (with a `LocationConstraint` outside us-east-1).
    public func createBucket(_ bucket: String) async throws {
        let region = configuration.region
        var request = S3Request(.createBucket, .put, bucket: bucket)
        if region != "us-east-1" {
            let xml =
                "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>\(XMLScanner.escape(region))</LocationConstraint></CreateBucketConfiguration>"
            request.body = .bytes(Array(xml.utf8))
            request.contentType = "application/xml"
        }
        _ = try await transport.send(request)
    }

    /// Deletes an empty bucket.
    public func deleteBucket(_ bucket: String) async throws {
        _ = try await transport.send(S3Request(.deleteBucket, .delete, bucket: bucket))
    }

    /// Whether the bucket exists and is reachable with these credentials (HEAD bucket).
    public func bucketExists(_ bucket: String) async throws -> Bool {
        let response = try await transport.send(S3Request(.headBucket, .head, bucket: bucket), allowing: [404])
        return response.status != 404
    }

    // MARK: - Objects

    /// Uploads `bytes` with one PUT.
    @discardableResult
    public func putObject(
        bucket: String, key: String, bytes: [UInt8], contentType: String = "application/octet-stream"
    ) async throws -> S3PutResult {
        try await putObject(bucket: bucket, key: key, body: .bytes(bytes), contentType: contentType)
    }

    func putObject(bucket: String, key: String, body: S3RequestBody, contentType: String) async throws -> S3PutResult {
        try Self.validate(contentType: contentType)
        let response = try await transport.send(
            S3Request(.putObject, .put, bucket: bucket, key: key, body: body, contentType: contentType))
        return S3PutResult(eTag: response[header: "etag"], size: Int64(body.count), parts: 0)
    }

    /// Downloads a whole object (or the inclusive byte `range`) into memory; for small objects.
    /// A missing key throws an ``S3Error`` with ``S3Error/isNotFound`` (`NoSuchKey`).
    public func getObject(bucket: String, key: String, range: ClosedRange<Int64>? = nil) async throws -> [UInt8] {
        var headers: [(String, String)] = []
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        let response = try await transport.send(S3Request(.getObject, .get, bucket: bucket, key: key, headers: headers))
        return response.body
    }

    /// Streams an object (or the inclusive byte `range`) in chunks of up to 256 KiB. The
    /// download starts when iteration starts, holds at most about 1 MiB ahead of the
    /// consumer, and resumes from the last byte received after transient failures.
    public func getObjectStream(bucket: String, key: String, range: ClosedRange<Int64>? = nil) -> S3ObjectStream {
        S3ObjectStream(transport: transport, bucket: bucket, key: key, range: range)
    }

    /// The object's size, ETag and content type, or `nil` if it does not exist.
    public func headObject(bucket: String, key: String) async throws -> S3ObjectInfo? {
        let response = try await transport.send(S3Request(.headObject, .head, bucket: bucket, key: key), allowing: [404])
        guard response.status != 404 else { return nil }
        guard let length = response[header: "content-length"].flatMap({ Int64($0) }) else {
            throw S3Error(
                kind: .invalidResponse, operation: .headObject, bucket: bucket, key: key,
                httpStatus: response.status, message: "no Content-Length")
        }
        return S3ObjectInfo(
            size: length, eTag: response[header: "etag"], contentType: response[header: "content-type"],
            lastModified: response[header: "last-modified"])
    }

    /// Deletes an object; deleting a missing key succeeds (S3 semantics).
    public func deleteObject(bucket: String, key: String) async throws {
        _ = try await transport.send(S3Request(.deleteObject, .delete, bucket: bucket, key: key))
    }

    // MARK: - Listing

    /// One ListObjectsV2 page.
    public func listObjectsPage(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, startAfter: String? = nil,
        continuationToken: String? = nil, maxKeys: Int = 1000
    ) async throws -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("max-keys", String(maxKeys))]
        if let prefix { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let request = S3Request(.listObjects, .get, bucket: bucket, query: query)
        let response = try await transport.send(request)
        do {
            return try S3ListPage(xml: response.body)
        } catch {
            throw S3Error(
                kind: .invalidResponse, operation: .listObjects, bucket: bucket, httpStatus: response.status,
                message: "unreadable ListBucketResult: \(error.reason) at byte \(error.offset)")
        }
    }

    /// Every object under `prefix`, in ascending key order, fetching pages of `pageSize`
    /// lazily and following continuation tokens.
    public func listObjects(
        bucket: String, prefix: String? = nil, startAfter: String? = nil, pageSize: Int = 1000
    ) -> S3ObjectListing {
        S3ObjectListing(client: self, bucket: bucket, prefix: prefix, startAfter: startAfter, pageSize: pageSize)
    }

    static func validate(contentType: String) throws {
        guard !contentType.contains("\r"), !contentType.contains("\n") else {
            throw S3Error(kind: .invalidRequest, message: "the content type contains a line break")
        }
    }
}

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
