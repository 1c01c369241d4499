import AdrecsDatabase
import AdrecsHTTP
import AdrecsRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import IngestService
import Logging
import Testing

/// `POST /runs` and `GET /runs/<id>` against a real ledger.
@Suite(.timeLimit(.minutes(2)))
struct IngestControlTests {
    private static func app(_ fixture: IngestFixture) -> some ApplicationProtocol {
        let router = Router()
        IngestControl.addRoutes(to: router, ledger: fixture.ledger, logger: fixture.logger)
        return Application(router: router, logger: fixture.logger)
    }

    private static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    private static func errorCode(_ buffer: ByteBuffer) throws -> String? {
        (try json(buffer)["error"] as? [String: Any])?["code"] as? String
    }

    @Test func kickReadAndRefuse() async throws {
        try await IngestFixture.with("control") { fixture in
            try await Self.app(fixture).test(.router) { client in
                let kicked = try await client.execute(
                    uri: "/runs", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"date":"2025-11-15"}"#))
                #expect(kicked.status == .accepted)
                #expect(kicked.headers[.contentType] == "application/json")
                let run = try Self.json(kicked.body)
                let runID = try #require(run["run_id"] as? String)
                #expect(runID.hasPrefix("2025-11-15T"))
                #expect(run["state"] as? String == "queued")
                #expect(run["date"] as? String == "2025-11-15")

                let again = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-15"}"#))
                #expect(again.status == .conflict)
                #expect(try Self.errorCode(again.body) == "run_in_progress")
                #expect(String(buffer: again.body).contains(runID))

                let read = try await client.execute(uri: "/runs/\(runID)", method: .get)
                #expect(read.status == .ok)
                let record = try Self.json(read.body)
                #expect(record["run_id"] as? String == runID)
                let stages = try #require(record["stages"] as? [[String: Any]])
                #expect(stages.map { $0["stage"] as? String } == ["ingest", "models", "writer"])
                #expect(stages.map { $0["state"] as? String } == ["queued", "pending", "pending"])

                // Another date is independent.
                let other = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-16"}"#))
                #expect(other.status == .accepted)
            }
        }
    }

    @Test(arguments: [
        (#"{"date":"2025-02-30"}"#, "invalid_date"),
        (#"{"date":"15/11/2025"}"#, "invalid_date"),
        (#"{"date":"2025-1-05"}"#, "invalid_date"),
        (#"{"day":"2025-11-15"}"#, "bad_request"),
        ("not json", "bad_request"),
        ("", "bad_request"),
    ])
    func aBadBodyIsABadRequest(body: String, code: String) async throws {
        try await IngestFixture.with("badreq") { fixture in
            try await Self.app(fixture).test(.router) { client in
                let response = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(try Self.errorCode(response.body) == code)
            }
        }
    }

    @Test func anUnknownRunIsNotFound() async throws {
        try await IngestFixture.with("unknown") { fixture in
            try await Self.app(fixture).test(.router) { client in
                let response = try await client.execute(uri: "/runs/2025-11-15T000000-deadbeef", method: .get)
                #expect(response.status == .notFound)
                #expect(try Self.errorCode(response.body) == "not_found")
            }
        }
    }

    @Test func aDatabaseFailureIsAGeneric500() async throws {
        try await IngestFixture.with("dbdown") { fixture in
            // Dropping the schema makes every ledger query fail.
            _ = try await fixture.pool.execute("DROP SCHEMA \(fixture.schema) CASCADE")
            try await Self.app(fixture).test(.router) { client in
                let response = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-15"}"#))
                #expect(response.status == .internalServerError)
                #expect(try Self.errorCode(response.body) == "internal")
                #expect(!String(buffer: response.body).contains("relation"))
                #expect(!String(buffer: response.body).contains(fixture.schema))
            }
        }
    }
}
