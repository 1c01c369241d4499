import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// A wrong kick never replaces what the API serves: a future date is refused, an empty day is
    /// not committed unless forced, and a committed day can be retracted.
    @Suite("Chain: guards against a wrong kick", .timeLimit(.minutes(5)))
    struct ChainGuardTests {
        struct Stats: Decodable {
            struct Freshness: Decodable { var latest_date: String }
            var freshness: Freshness
            var dates: [String]
        }

        struct Served: Decodable {
            var date: String
        }

        static func stats(_ chain: Chain) async throws -> Stats {
            let response = try await chain.http(.api, "/stats/")
            try #require(response.status == 200, "/stats/: \(response.status) \(response.text)")
            return try JSONDecoder().decode(Stats.self, from: Data(response.body))
        }

        /// Polls `/stats/` until the latest date served is `date`; returns how long that took
        /// (nil if not within 5 s, so a slow API fails the 2 s check with its time rather than a hang).
        static func waitForLatest(_ chain: Chain, _ date: Day) async throws -> Duration? {
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(5) {
                if try await stats(chain).freshness.latest_date == date.description { return ContinuousClock.now - start }
                try await Task.sleep(for: .milliseconds(50))
            }
            return nil
        }

        @Test func anEmptyDayIsRefusedThenForcedThenRetracted() async throws {
            let folder = "course-2025"
            let expected = try CourseData.expected(folder)
            let served = try #require(Set(expected.map(\.day)).max())
            // After the course's last day: no raw row is dated there, so ingest keeps nothing.
            let empty = try served.advanced(by: 1)
            let advertiser = try #require(expected.first { $0.day == served }?.advertiserId)
            let chain = try await Chain("guard")
            do {
                try await chain.startAll()
                try await chain.uploadRaw(folder)
                let normal = try await chain.waitForRun(try await chain.kick(served))
                try #require(normal.state == .succeeded, "\(served): \(normal.error ?? "")")
                try await chain.start(.api, ["API_RELOAD_SECONDS": "300"])
                #expect(try await Self.stats(chain).freshness.latest_date == served.description)

                // A date later than tomorrow: refused by the control endpoint and by the command.
                let later = try Day.utcToday(offset: 2)
                let refused = try await chain.http(.ingest, "/runs", method: .post, body: #"{"date":"\#(later)"}"#)
                #expect(refused.status == 400 && refused.text.contains(#""code":"future_date""#), "\(refused.text)")
                let command = try await chain.ingestTool(["kick", "--date", later.description])
                #expect(command.status != 0)
                #expect(command.output.contains("\(later) is later than tomorrow"), "\(command.output)")
                #expect(try await chain.ledger.runs(date: later).isEmpty)

                // The empty day: the writer refuses it, naming both counts; the API keeps the day it served.
                let failed = try await chain.waitForRun(try await chain.kick(empty))
                #expect(failed.state == .failed)
                let writerError = try #require(failed.stage(.writer)?.error, "\(failed)")
                #expect(writerError.hasPrefix("suspicious_day: \(empty) has 0 recommendation rows: no recommendations at all"))
                #expect(writerError.contains("the median of the last 1 committed days is \(normal.stage(.writer)?.counts["recommendation_rows"] ?? -1) rows"))
                #expect(failed.error == "writer: \(writerError)")
                #expect(try await chain.reader.committedDays(limit: 10).map(\.date) == [served.description])
                let still = try await chain.http(.api, "/recommendations/\(advertiser)/TopCTR")
                #expect(still.status == 200)
                #expect(try JSONDecoder().decode(Served.self, from: Data(still.body)).date == served.description)
                let metrics = try await chain.http(.writer, "/metrics").text.split(separator: "\n")
                #expect(metrics.contains { $0.hasPrefix("adrecs_stage_failures_total{") && $0.contains(#"cause="input""#) && $0.hasSuffix(" 1") },
                        "\(metrics.filter { $0.contains("failures") })")

                // The same kick with force commits it, and the API serves it.
                let forced = try await chain.waitForRun(try await chain.kick(empty, force: true))
                try #require(forced.state == .succeeded, "\(forced.error ?? "")")
                #expect(forced.force && forced.stage(.writer)?.counts["recommendation_rows"] == 0)
                let forcedServed = try await Self.waitForLatest(chain, empty)
                #expect(forcedServed != nil, "the forced empty day was not served")

                // Retracted with the real command: the API stops serving it within 2 s.
                let retract = try await chain.ingestTool(["retract", "--date", empty.description])
                let retracted = ContinuousClock.now
                #expect(retract.status == 0, "\(retract.output)")
                #expect(retract.output.contains("retracted \(empty): run \(forced.runID), 0 recommendation rows"), "\(retract.output)")
                let back = try await Self.waitForLatest(chain, served)
                let elapsed = ContinuousClock.now - retracted
                #expect(back != nil && elapsed < .seconds(2), "served \(served) again after \(elapsed)")
                #expect(try await Self.stats(chain).dates == [served.description])
                let again = try await chain.http(.ingest, "/days/\(empty)", method: .delete)
                #expect(again.status == 404 && again.text.contains(#""code":"day_not_committed""#), "\(again.text)")

                // Retracting the last committed day over HTTP: the API serves nothing (not ready) within 2 s.
                let last = try await chain.http(.ingest, "/days/\(served)", method: .delete)
                let lastRetracted = ContinuousClock.now
                #expect(last.status == 200 && last.text.contains(#""source":"http""#), "\(last.text)")
                var ready = 200
                while ready == 200 && ContinuousClock.now - lastRetracted < .seconds(5) {
                    ready = try await chain.http(.api, "/ready").status
                    if ready == 200 { try await Task.sleep(for: .milliseconds(50)) }
                }
                let unserved = ContinuousClock.now - lastRetracted
                #expect(ready == 503 && unserved < .seconds(2), "/ready \(ready) after \(unserved)")
                #expect(try await chain.http(.api, "/recommendations/\(advertiser)/TopCTR").status == 503)
            } catch {
                Issue.record("\(await chain.logTails())")
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }
    }
}
