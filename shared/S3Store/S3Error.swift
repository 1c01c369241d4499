public import Curl

/// Any S3Store failure: S3's own error answer (`Code`, `Message`, request id, HTTP status),
/// a transport failure from curl, or an invalid request or response. It names the operation,
/// bucket and key, and never contains credentials.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// S3 answered with an error status (or an `<Error>` document in a 200 answer).
        case service
        /// The request did not complete: connection refused, timeout, connection reset…
        case transport
        /// The answer could not be understood.
        case invalidResponse
        /// The request was rejected before sending (bad configuration or argument).
        case invalidRequest
        /// The credentials provider failed.
        case credentials
    }

    public var kind: Kind
    public var operation: S3Operation?
    public var bucket: String?
    public var key: String?
    /// The HTTP status of the final attempt, when there was an answer.
    public var httpStatus: Int?
    /// S3's error `Code`, e.g. `NoSuchKey`, `SignatureDoesNotMatch`.
    public var code: String?
    /// S3's error `Message`, or a description of a local failure.
    public var message: String?
    /// `x-amz-request-id` (or the document's `RequestId`).
    public var requestID: String?
    /// The curl failure of a ``Kind/transport`` error.
    public var transportError: CurlError?
    /// How many attempts were made.
    public var attempts: Int
    public var fileID: String
    public var line: Int

    public init(
        kind: Kind, operation: S3Operation? = nil, bucket: String? = nil, key: String? = nil,
        httpStatus: Int? = nil, code: String? = nil, message: String? = nil, requestID: String? = nil,
        transportError: CurlError? = nil, attempts: Int = 1, fileID: String = #fileID, line: Int = #line
    ) {
        self.kind = kind
        self.operation = operation
        self.bucket = bucket
        self.key = key
        self.httpStatus = httpStatus
        self.code = code
        self.message = message
        self.requestID = requestID
        self.transportError = transportError
        self.attempts = attempts
        self.fileID = fileID
        self.line = line
    }

    /// The object or bucket does not exist (HTTP 404, `NoSuchKey`, `NoSuchBucket`).
    public var isNotFound: Bool {
        httpStatus == 404 || code == "NoSuchKey" || code == "NoSuchBucket" || code == "NotFound"
    }

    public var description: String {
        if kind == .credentials, operation == nil {
            // A credentials provider's own failure, before any request.
            var text = "S3 credentials unavailable: \(message ?? "no source gave credentials")"
            if let transportError { text += " (\(transportError.summary))" }
            return text + " (\(fileID):\(line))"
        }
        var text = "S3 \(operation?.rawValue ?? "request")"
        if let bucket { text += " s3://\(bucket)/\(key ?? "")" }
        text += " failed: "
        switch kind {
        case .service: text += "HTTP \(httpStatus.map(String.init) ?? "?")"
        case .transport: text += "transport error"
        case .invalidResponse: text += "invalid response"
        case .invalidRequest: text += "invalid request"
        case .credentials: text += "no credentials"
        }
        if let code { text += " \(code)" }
        if let message, !message.isEmpty { text += ": \(message)" }
        if let transportError { text += " (\(transportError.summary))" }
        if let requestID, !requestID.isEmpty { text += " [request id \(requestID)]" }
        text += " after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(fileID):\(line))"
        return text
    }
}
