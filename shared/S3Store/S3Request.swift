import Curl

/// One S3 API request, before signing. The body is kept so every attempt can resend it.
struct S3Request: Sendable {
    var operation: S3Operation
    var method: CurlHTTPMethod
    var bucket: String?
    var key: String?
    var query: [(String, String)] = []
    /// Extra headers; the transport adds `x-amz-content-sha256`, the session token and
    /// `Content-Type` (for bodies).
    var headers: [(String, String)] = []
    var body: S3RequestBody
    var contentType: String?

    init(
        _ operation: S3Operation, _ method: CurlHTTPMethod, bucket: String?, key: String? = nil,
        query: [(String, String)] = [], headers: [(String, String)] = [], body: S3RequestBody = .none,
        contentType: String? = nil
    ) {
        self.operation = operation
        self.method = method
        self.bucket = bucket
        self.key = key
        self.query = query
        self.headers = headers
        self.body = body
        self.contentType = contentType
    }
}
