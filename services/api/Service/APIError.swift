public import Hummingbird

/// The api module's one error type: every failure a caller can cause or see, with its HTTP status
/// and the stable `code` of the JSON body `{"error":{"code","message"}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds for `Retry-After` (503 only).
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, code: String, message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    static func invalidModel(_ text: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_model",
                 message: "unknown model \"\(APIError.clip(text))\"; valid models: TopCTR, TopProduct (case-insensitive; also top_ctr, top_product)")
    }

    static func invalidAdvertiserID(_ text: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_advertiser_id",
                 message: "advertiser id \"\(APIError.clip(text))\" is not 1 to 256 characters of percent-encoded UTF-8")
    }

    static func unknownAdvertiser(_ id: String) -> APIError {
        APIError(status: .notFound, code: "unknown_advertiser",
                 message: "advertiser \"\(id)\" has no data in the days held")
    }

    static func invalidDate(_ text: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_date",
                 message: "date \"\(APIError.clip(text))\" is not a YYYY-MM-DD calendar date")
    }

    static func dateNotHeld(_ text: String, held: [String]) -> APIError {
        APIError(status: .notFound, code: "date_not_found",
                 message: "date \(text) is not held; held dates: \(held.joined(separator: ", "))")
    }

    static let notReady = APIError(status: .serviceUnavailable, code: "not_ready",
                                   message: "no data loaded yet; retry later", retryAfter: 5)

    static let routeNotFound = APIError(status: .notFound, code: "not_found",
                                        message: "no such endpoint; see /openapi.json")

    /// `/docs` when the server has no Swagger UI files (`API_DOCS_DIR` unset, missing or incomplete).
    static let docsNotInstalled = APIError(status: .notFound, code: "docs_not_installed",
                                           message: "the interactive docs are not installed on this server; the API is described at /openapi.json")

    static let methodNotAllowed = APIError(status: .methodNotAllowed, code: "method_not_allowed",
                                           message: "only GET and HEAD are supported; see /openapi.json")

    static let internalError = APIError(status: .internalServerError, code: "internal_error",
                                        message: "internal error; quote the X-Request-Id header when reporting it")

    /// Echoed input is cut to 80 characters so error bodies stay small.
    private static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "…"
    }
}
