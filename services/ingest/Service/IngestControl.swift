public import AdrecsDatabase
import AdrecsDomain
import AdrecsRuntime
import Foundation
public import Hummingbird
public import Logging

/// The control endpoint on ingest's ops port:
/// - `POST /runs` with `{"date":"YYYY-MM-DD"}` kicks a run: 202 with the run (`run_id`, `state`,
///   `stages`…); 409 `run_in_progress` while a run of the date is active; 400 for a bad body or date.
/// - `GET /runs/<id>`: 200 with the run and each stage's state, counts, keys and error; 404 if unknown.
///
/// Errors answer `{"error":{"code":…,"message":…}}`; unexpected ones are logged and answer 500
/// with a generic message.
public enum IngestControl {
    struct KickRequest: Decodable {
        var date: String
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
        }
        var error: Detail
    }

    /// Adds the `/runs` routes to `router`.
    public static func addRoutes<Context: RequestContext>(to router: Router<Context>, ledger: RunLedger, logger: Logger) {
        router.post("/runs") { request, _ -> Response in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: 16 * 1024)
            } catch {
                return errorResponse(.badRequest, "bad_request", "the body must be a JSON object {\"date\":\"YYYY-MM-DD\"} under 16 KiB")
            }
            guard let kick = try? JSONDecoder().decode(KickRequest.self, from: Data(body.readableBytesView)) else {
                return errorResponse(.badRequest, "bad_request", "the body must be a JSON object {\"date\":\"YYYY-MM-DD\"}")
            }
            guard kick.date.utf8.count == 10, let day = Day(kick.date) else {
                return errorResponse(.badRequest, "invalid_date", "not a calendar date YYYY-MM-DD: '\(kick.date.prefix(40))'")
            }
            do {
                let run = try await ledger.kick(date: day)
                return try jsonResponse(.accepted, run)
            } catch let error as LedgerError {
                if case .runInProgress(let runID, let date) = error {
                    return errorResponse(.conflict, "run_in_progress", "a run of \(date) is in progress: \(runID)")
                }
                return internalError(error, logger: logger)
            } catch {
                return internalError(error, logger: logger)
            }
        }
        router.get("/runs/:id") { _, context -> Response in
            guard let id = context.parameters.get("id") else {
                return errorResponse(.notFound, "not_found", "no such run")
            }
            do {
                guard let run = try await ledger.run(id: id) else {
                    return errorResponse(.notFound, "not_found", "no run with id '\(id.prefix(80))'")
                }
                return try jsonResponse(.ok, run)
            } catch {
                return internalError(error, logger: logger)
            }
        }
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func errorResponse(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        // Encoding two strings cannot fail.
        try! jsonResponse(status, ErrorBody(error: .init(code: code, message: message)))
    }

    static func internalError(_ error: any Error, logger: Logger) -> Response {
        logger.error("Control request failed", metadata: [LogKeys.error: "\(error)"])
        return errorResponse(.internalServerError, "internal", "internal error; see the service log")
    }
}
