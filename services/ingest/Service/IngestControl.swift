public import AdrecsDatabase
import AdrecsDomain
import AdrecsHTTP
import AdrecsRuntime
import Foundation
public import Hummingbird
public import Logging

/// The control endpoint on ingest's ops port:
/// - `POST /runs` with `{"date":"YYYY-MM-DD"}` (optionally `"force":true`) kicks a run: 202 with the
///   run (`run_id`, `state`, `force`, `stages`…); 409 `run_in_progress` while a run of the date is
///   active; 400 for a bad body or date, `future_date` for a date later than tomorrow (UTC).
/// - `GET /runs/<id>`: 200 with the run and each stage's state, counts, keys and error; 404 if unknown.
/// - `DELETE /days/<date>` retracts a committed day (``RunLedger/retract(date:source:)``): 200 with
///   what was removed; 404 `day_not_committed`; 409 `run_in_progress`; 400 `invalid_date`.
///
/// Errors answer `{"error":{"code":…,"message":…}}`; unexpected ones are logged and answer 500
/// with a generic message.
public enum IngestControl {
    struct KickRequest: Decodable {
        var date: String
        var force: Bool?
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
                return errorResponse(
                    .badRequest, "bad_request", "the body must be a JSON object {\"date\":\"YYYY-MM-DD\"} (optionally \"force\":true)")
            }
            guard let day = Day(kick.date) else { return invalidDate(kick.date) }
            do {
                let run = try await ledger.kick(date: day, force: kick.force ?? false)
                return try jsonResponse(.accepted, run)
            } catch let error as LedgerError {
                return ledgerErrorResponse(error, logger: logger)
            } catch {
                return internalError(error, logger: logger)
            }
        }
        router.delete("/days/:date") { _, context -> Response in
            let text = context.parameters.get("date") ?? ""
            guard let day = Day(text) else { return invalidDate(text) }
            do {
                return try jsonResponse(.ok, try await ledger.retract(date: day, source: .http))
            } catch let error as LedgerError {
                return ledgerErrorResponse(error, logger: logger)
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

    static func invalidDate(_ text: String) -> Response {
        errorResponse(.badRequest, "invalid_date", DomainError.invalidDate(text).description)
    }

    /// The answer to a refusal of the ledger's; any other ledger error is internal.
    static func ledgerErrorResponse(_ error: LedgerError, logger: Logger) -> Response {
        switch error {
        case .runInProgress(let runID, let date):
            errorResponse(.conflict, "run_in_progress", "a run of \(date) is in progress: \(runID)")
        case .futureDate:
            errorResponse(.badRequest, "future_date", error.description)
        case .dayNotCommitted:
            errorResponse(.notFound, "day_not_committed", error.description)
        default:
            internalError(error, logger: logger)
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
        JSONBytes.errorResponse(status, code: code, message: message)
    }

    static func internalError(_ error: any Error, logger: Logger) -> Response {
        logger.error("Control request failed", metadata: [LogKeys.error: "\(error)"])
        return errorResponse(.internalServerError, "internal_error", "internal error; see the service log")
    }
}
