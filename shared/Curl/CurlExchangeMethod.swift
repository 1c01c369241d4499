/// The method of a ``CurlEasy/exchange(_:method:body:headers:timeout:)``; the body size comes from the body.
public enum CurlExchangeMethod: String, Sendable {
    case get = "GET", head = "HEAD", delete = "DELETE", put = "PUT", post = "POST"
}
