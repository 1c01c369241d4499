import AdrecsDatabase
import AdrecsDomain
import AdrecsHTTP
import AdrecsRuntime
import AdrecsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import IngestService
import Logging
import Testing

/// `POST /runs`, `GET /runs/<id>` and `DELETE /days/<date>` against a real ledger.
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
                #expect(try Self.errorCode(response.body) == "internal_error")
                #expect(!String(buffer: response.body).contains("relation"))
                #expect(!String(buffer: response.body).contains(fixture.schema))
            }
        }
    }

    /// Commits `date` with `count` TopProduct rows of one advertiser, as the stages would; returns the run id.
    private static func commitDay(_ fixture: IngestFixture, _ date: Day, count: Int) async throws -> String {
        let run = try await fixture.ledger.kick(date: date)
        for (stage, next) in [(Stage.ingest, Stage.models), (.models, .writer)] {
            _ = try #require(try await fixture.ledger.claim(runID: run.runID, stage: stage, worker: "test"))
            try await fixture.ledger.completeStage(runID: run.runID, stage: stage, counts: [:], s3Keys: [:], next: next)
        }
        _ = try #require(try await fixture.ledger.claim(runID: run.runID, stage: .writer, worker: "test"))
        let rows = (0..<count).map {
            Recommendation(day: date, advertiserId: "adv", model: .topProduct, rank: $0 + 1, productId: "p\($0)", views: 9)
        }
        _ = try await DayWriter(pool: fixture.pool, logger: fixture.logger).replaceDay(
            date: date, runID: run.runID, recommendationsCSV: Array(RecommendationCSV.document(rows).utf8),
            advertisersCSV: Array("advertiser_id\nadv\n".utf8))
        return run.runID
    }

    @Test func aKickLaterThanTomorrowIsAFutureDate() async throws {
        try await IngestFixture.with("future") { fixture in
            try await Self.app(fixture).test(.router) { client in
                let later = try Day.utcToday(offset: 2)
                for body in [#"{"date":"\#(later)"}"#, #"{"date":"2099-01-01","force":true}"#] {
                    let response = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: body))
                    #expect(response.status == .badRequest, "\(body)")
                    #expect(try Self.errorCode(response.body) == "future_date")
                    #expect(String(buffer: response.body).contains("later than tomorrow (\(try Day.utcToday(offset: 1)), UTC)"))
                }
                #expect(try await fixture.ledger.runs(date: later).isEmpty)
                let tomorrow = try await client.execute(
                    uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"\#(try Day.utcToday(offset: 1))"}"#))
                #expect(tomorrow.status == .accepted)
            }
        }
    }

    @Test func forceIsRecordedAndReturned() async throws {
        try await IngestFixture.with("force") { fixture in
            try await Self.app(fixture).test(.router) { client in
                let forced = try await client.execute(
                    uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-15","force":true}"#))
                #expect(forced.status == .accepted)
                let run = try Self.json(forced.body)
                #expect(run["force"] as? Bool == true)
                let runID = try #require(run["run_id"] as? String)
                #expect(try await fixture.ledger.run(id: runID)?.force == true)
                let read = try await client.execute(uri: "/runs/\(runID)", method: .get)
                #expect(try Self.json(read.body)["force"] as? Bool == true)

                let plain = try await client.execute(
                    uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-16","force":false}"#))
                #expect(try Self.json(plain.body)["force"] as? Bool == false)
                let bad = try await client.execute(
                    uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-17","force":"yes"}"#))
                #expect(bad.status == .badRequest)
                #expect(try Self.errorCode(bad.body) == "bad_request")
            }
        }
    }

    @Test func deleteDayRetractsItThenIsNotFound() async throws {
        try await IngestFixture.with("retract") { fixture in
            let date = Day("2025-11-15")!
            let runID = try await Self.commitDay(fixture, date, count: 4)
            try await Self.app(fixture).test(.router) { client in
                let removed = try await client.execute(uri: "/days/2025-11-15", method: .delete)
                #expect(removed.status == .ok)
                let body = try Self.json(removed.body)
                #expect(body["date"] as? String == "2025-11-15" && body["run_id"] as? String == runID)
                #expect(body["recommendation_rows"] as? Int == 4 && body["advertisers"] as? Int == 1)
                #expect(body["source"] as? String == "http" && body["retracted_at"] is String)
                let count = try await fixture.pool.query("SELECT count(*) AS n FROM committed_days")[0].decode("n", as: Int.self)
                #expect(count == 0)

                let again = try await client.execute(uri: "/days/2025-11-15", method: .delete)
                #expect(again.status == .notFound)
                #expect(try Self.errorCode(again.body) == "day_not_committed")
                for bad in ["2025-02-30", "20251115", "x"] {
                    let response = try await client.execute(uri: "/days/\(bad)", method: .delete)
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(try Self.errorCode(response.body) == "invalid_date")
                }
            }
        }
    }

    @Test func deleteDayIsAConflictWhileARunOfTheDateIsInProgress() async throws {
        try await IngestFixture.with("retractc") { fixture in
            let date = Day("2025-11-15")!
            _ = try await Self.commitDay(fixture, date, count: 2)
            let active = try await fixture.ledger.kick(date: date)
            try await Self.app(fixture).test(.router) { client in
                let refused = try await client.execute(uri: "/days/2025-11-15", method: .delete)
                #expect(refused.status == .conflict)
                #expect(try Self.errorCode(refused.body) == "run_in_progress")
                #expect(String(buffer: refused.body).contains(active.runID))
            }
            let count = try await fixture.pool.query("SELECT count(*) AS n FROM recommendations")[0].decode("n", as: Int.self)
            #expect(count == 2)
        }
    }
}
