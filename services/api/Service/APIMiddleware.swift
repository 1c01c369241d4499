import AdrecsHTTP
import AdrecsRuntime
import HTTPTypes
import Hummingbird
import Logging

/// Wraps every route (and the router's 404): turns errors into the JSON error body, counts
/// requests and latency per route and status, and writes the access log when enabled. This is
/// the one place where errors become HTTP responses.
struct APIMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    let metrics: APIMetrics
    let accessLog: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = Self.response(for: error)
        } catch let error as HTTPError where error.status == .notFound {
            // GET and HEAD reach every route; any other method on a route's path is not allowed.
            let known = request.method != .get && request.method != .head && APIRoute.matches(request.uri.path)
            response = Self.response(for: known ? .methodNotAllowed : .routeNotFound)
        } catch let error as HTTPError where error.status == .methodNotAllowed {
            response = Self.response(for: .methodNotAllowed)
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            response = Self.response(for: APIError(status: error.status, code: "bad_request",
                                                   message: "the request is malformed"))
        } catch {
            let requestID = Self.makeRequestID()
            context.logger.error("Request failed", metadata: [
                "adrecs.request.id": "\(requestID)",
                LogKeys.path: "\(request.uri.path)",
                LogKeys.error: "\(String(reflecting: error))",
            ])
            response = Self.response(for: .internalError)
            response.headers[.xRequestID] = requestID
        }
        let duration = ContinuousClock.now - start
        let route = APIMetrics.route(of: request.uri.path)
        metrics.record(route: route, status: response.status.code, duration: duration)
        if accessLog {
            context.logger.info("Request", metadata: [
                "adrecs.http.method": "\(request.method.rawValue)",
                LogKeys.path: "\(request.uri.path)",
                "adrecs.http.route": "\(route)",
                "adrecs.http.status": "\(response.status.code)",
                LogKeys.durationSeconds: "\(duration)",
            ])
        }
        return response
    }

    /// The JSON error body `{"error":{"code","message"}}` with `Retry-After` when set, and
    /// `Allow` on 405 (RFC 9110 §15.5.6).
    static func response(for error: APIError) -> Response {
        var headers: HTTPFields = [:]
        if let retryAfter = error.retryAfter { headers[.retryAfter] = String(retryAfter) }
        if error.status == .methodNotAllowed { headers[.allow] = "GET, HEAD" }
        return JSONBytes.errorResponse(error.status, code: error.code, message: error.message, headers: headers)
    }

    static func makeRequestID() -> String {
        let value = UInt64.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension HTTPField.Name {
    /// `X-Request-Id`, carried by 500 responses and logged with the error.
    static let xRequestID = HTTPField.Name("X-Request-Id")!
}
