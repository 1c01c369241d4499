/// An HTTP request method. For `PUT` (`CURLOPT_UPLOAD`) and `POST` (`CURLOPT_POST`)
/// ``CurlEasy/setMethod(_:bodySize:)`` also takes the exact body size the read handler will supply.
public enum CurlHTTPMethod: String, Sendable, Hashable {
    case get = "GET", head = "HEAD", delete = "DELETE", put = "PUT", post = "POST"
}
