/// The request method and, for uploads, the exact body size the read handler will supply.
public enum CurlHTTPMethod: Sendable, Equatable {
    case get
    case head
    case delete
    /// `CURLOPT_UPLOAD` with `CURLOPT_INFILESIZE_LARGE`.
    case put(bodySize: Int64)
    /// `CURLOPT_POST` with `CURLOPT_POSTFIELDSIZE_LARGE`; the body comes from the read handler.
    case post(bodySize: Int64)
}
