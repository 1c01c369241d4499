import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import LibPQ
import Testing

@Suite(.timeLimit(.minutes(3)))
struct DayWriterTests {
    let day = Day("2025-11-15")!

    @Test func replacesADayFromCSVAndReadsItBack() async throws {
        try await TestDatabase.with("write") { db in
            let rows = [
                Recommendation(day: day, advertiserId: "A1", model: .topCTR, rank: 1, productId: "p1",
                               impressions: 4, clicks: 1, ctr: 0.25),
                Recommendation(day: day, advertiserId: "A1", model: .topCTR, rank: 2, productId: "p,2",
                               impressions: 3, clicks: 0, ctr: 0.0),
                Recommendation(day: day, advertiserId: "A1", model: .topProduct, rank: 1, productId: "p3", views: 9),
                Recommendation(day: day, advertiserId: "B2", model: .topProduct, rank: 1, productId: "p4", views: 1),
            ]
            var csv = RecommendationCSV.header + "\n"
            for row in rows {
                // A product id with a comma must be quoted in CSV.
                csv += RecommendationCSV.line(row).replacingOccurrences(of: ",p,2,", with: ",\"p,2\",") + "\n"
            }
            let runID = try await db.runAtWriter(day)
            let result = try await db.writer.replaceDay(
                date: day, runID: runID, recommendationsCSV: Array(csv.utf8),
                advertisersCSV: Array("advertiser_id\nB2\nA1\nC3\n".utf8))
            #expect(result == DayWriteResult(recommendationRows: 4, advertisers: 3))
            #expect(try await db.reader.recommendations(date: "2025-11-15") == rows)
            #expect(try await db.reader.activeAdvertisers(date: "2025-11-15") == ["A1", "B2", "C3"])
            let committed = try await db.reader.committedDays(limit: 10)
            #expect(committed.map(\.date) == ["2025-11-15"])
            #expect(committed.first?.runID == runID)
            #expect(committed.first?.recommendationRows == 4 && committed.first?.advertisers == 3)
            let run = try #require(try await db.ledger().run(id: runID))
            #expect(run.state == .succeeded && run.finishedAt != nil)
            #expect(run.stage(.writer)?.state == .succeeded)
            #expect(run.stage(.writer)?.counts == ["recommendation_rows": 4, "advertisers": 3])
        }
    }

    /// Ids the parser accepts (any UTF-8 text without `,` or NUL) that CSV or COPY treat specially:
    /// the writer stores each byte for byte.
    static let awkwardIDs = [
        "p\"2", "\"", "a\\b", "\\", "\\.", "\\N", "a\tb", "\t", " lead", "trail ", " ", "a b", "a\rb", "café", "cafe\u{301}",
        "日本", "\u{1F600}", "NULL", "\u{7F}\u{1}", "'q'", String(repeating: "日", count: 85),
    ]

    @Test func awkwardIdsAreStoredExactly() async throws {
        let ids = Self.awkwardIDs
        let rows = ids.enumerated().flatMap { index, id in
            [
                Recommendation(day: day, advertiserId: id, model: .topCTR, rank: 1, productId: ids[(index + 1) % ids.count],
                               impressions: 3, clicks: 1, ctr: 1.0 / 3.0),
                Recommendation(day: day, advertiserId: id, model: .topProduct, rank: 1, productId: id, views: 2),
            ]
        }.sorted(by: Recommendation.csvOrder)
        try await TestDatabase.with("awkward") { db in
            let (_, result) = try await db.commit(day, rows)
            #expect(result == DayWriteResult(recommendationRows: rows.count, advertisers: ids.count))
            let stored = try await db.reader.recommendations(date: day.description)
            // Byte for byte: String == would also accept canonically equivalent text (café, cafe + U+0301).
            #expect(stored.map { Array($0.advertiserId.utf8) } == rows.map { Array($0.advertiserId.utf8) })
            #expect(stored.map { Array($0.productId.utf8) } == rows.map { Array($0.productId.utf8) })
            #expect(stored == rows)
            let active = try await db.reader.activeAdvertisers(date: day.description)
            #expect(Set(active.map { Array($0.utf8) }) == Set(ids.map { Array($0.utf8) }))
            // The server's own view of the bytes, independent of any decoding on the way back.
            let hex = try await db.pool.query("""
                SELECT DISTINCT encode(convert_to(advertiser_id, 'UTF8'), 'hex') AS h FROM recommendations WHERE date = $1::date
                """, [day.description]).map { try $0.decode("h", as: String.self) }
            #expect(Set(hex) == Set(ids.map { $0.utf8.map { String(format: "%02x", $0) }.joined() }))
        }
    }

    @Test(.offThePool) func courseDataDayRoundTrips() async throws {
        let path = CourseData.folder("course-2025") + "/expected.csv"
        try #require(FileManager.default.fileExists(atPath: path), "course data missing at \(path): set ADRECS_COURSE_DATA")
        let all = try RecommendationCSV.parse(document: String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
        let days = Set(all.map(\.day)).sorted()
        try #require(days.count > 2)
        try await TestDatabase.with("course") { db in
            for date in [days[0], days[days.count / 2]] {
                let expected = all.filter { $0.day == date }
                let (_, result) = try await db.commit(date, expected)
                #expect(result.recommendationRows == expected.count)
                let stored = try await db.reader.recommendations(date: date.description)
                #expect(stored == expected.sorted(by: Recommendation.csvOrder))
                #expect(stored.contains { $0.ctr != nil && $0.ctr != 0 && $0.ctr != 1 })
            }
            #expect(try await db.reader.committedDays(limit: 5).map(\.date) == [days[days.count / 2], days[0]].map(\.description))
        }
    }

    @Test func rerunReplacesTheDayAndLeavesOthers() async throws {
        try await TestDatabase.with("rerun") { db in
            let other = Day("2025-11-16")!
            try await db.commit(other, Sample.rows(other, count: 3, tag: "keep"))
            try await db.commit(day, Sample.rows(day, count: 30, tag: "old"))
            let (runID, result) = try await db.commit(day, Sample.rows(day, count: 7, tag: "new"))
            #expect(result == DayWriteResult(recommendationRows: 7, advertisers: 1))
            let stored = try await db.reader.recommendations(date: day.description)
            #expect(stored.count == 7 && stored.allSatisfy { $0.productId.hasPrefix("new-") })
            #expect(try await db.reader.activeAdvertisers(date: day.description) == ["adv0"])
            #expect(try await db.count(other.description) == 3)
            #expect(try await db.reader.committedDays(limit: 10).first { $0.date == day.description }?.runID == runID)
        }
    }

    @Test func readersNeverSeeAPartialDay() async throws {
        try await TestDatabase.with("atomic") { db in
            let (oldCount, newCount) = (45, 12)
            try await db.commit(day, Sample.rows(day, count: oldCount, tag: "old"))
            let readerPool = db.makePool()
            let readerDB = DayReader(pool: readerPool)
            let date = day.description
            let observations = try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    var seen: [String] = []
                    while !Task.isCancelled {
                        do {
                            let count = try await readerPool.query(
                                "SELECT count(*) AS n FROM recommendations WHERE date = $1::date", [date])[0].decode("n", as: Int.self)
                            seen.append("count \(count)")
                            let rows = try await readerDB.recommendations(date: date)
                            let tags = Set(rows.map { $0.productId.prefix { $0 != "-" } })
                            seen.append("rows \(rows.count) \(tags.sorted().joined(separator: "+"))")
                        } catch where Task.isCancelled {
                            break // the writer is done; a query cut short by cancellation is no observation
                        }
                    }
                    return seen
                }
                for index in 0..<20 {
                    let (count, tag) = index.isMultiple(of: 2) ? (newCount, "new") : (oldCount, "old")
                    try await db.commit(day, Sample.rows(day, count: count, tag: tag))
                }
                group.cancelAll()
                var all: [String] = []
                while let seen = try await group.next() { all += seen }
                return all
            }
            await readerPool.close()
            let allowed: Set<String> = [
                "count \(oldCount)", "count \(newCount)", "rows \(oldCount) old", "rows \(newCount) new",
            ]
            #expect(observations.count > 20)
            // The reader saw both generations, so it really ran during the replacements.
            #expect(observations.contains("count \(oldCount)") && observations.contains("count \(newCount)"))
            #expect(Set(observations).isSubset(of: allowed), "unexpected: \(Set(observations).subtracting(allowed))")
            #expect(try await db.count(date) == oldCount)
        }
    }

    @Test func aBadRowFailsWithSQLStateAndLeavesTheDay() async throws {
        try await TestDatabase.with("bad") { db in
            let original = Sample.rows(day, count: 5, tag: "orig")
            try await db.commit(day, original)
            let bad = Array((RecommendationCSV.header + "\n" + RecommendationCSV.line(original[0]) + "\n"
                + "2025-11-15,adv0,TopProduct,notanumber,x,1,,,\n").utf8)
            let duplicate = Sample.csv([original[0], original[0]])
            let badModel = Array((RecommendationCSV.header + "\n2025-11-15,adv0,Other,1,x,1,,,\n").utf8)
            for (csv, state) in [(bad, "22P02"), (duplicate, "23505"), (badModel, "23514")] {
                let runID = try await db.runAtWriter(day)
                do {
                    _ = try await db.writer.replaceDay(
                        date: day, runID: runID, recommendationsCSV: csv, advertisersCSV: Sample.advertisersCSV(original))
                    Issue.record("replaceDay accepted a bad document (\(state))")
                } catch let error as PGError {
                    #expect(error.sqlState == state, "\(error)")
                }
                #expect(try await db.reader.recommendations(date: day.description) == original)
                let run = try #require(try await db.ledger().run(id: runID))
                #expect(run.stage(.writer)?.state == .running)
                try await db.ledger().failStage(runID: runID, stage: .writer, error: "bad document")
            }
        }
    }

    @Test func aRowOfAnotherDateIsRejected() async throws {
        try await TestDatabase.with("date") { db in
            let original = Sample.rows(day, count: 3, tag: "orig")
            try await db.commit(day, original)
            let runID = try await db.runAtWriter(day)
            let stray = Sample.rows(day, count: 2, tag: "x") + Sample.rows(Day("2025-11-14")!, count: 1, tag: "y")
            await #expect(throws: LedgerError.wrongDate(expected: "2025-11-15", found: "2025-11-14")) {
                try await db.writer.replaceDay(
                    date: day, runID: runID, recommendationsCSV: Sample.csv(stray), advertisersCSV: Sample.advertisersCSV(stray))
            }
            #expect(try await db.reader.recommendations(date: day.description) == original)
            #expect(try await db.count("2025-11-14") == 0)
        }
    }

    @Test func aWriterWhoseStageIsNotRunningChangesNothing() async throws {
        try await TestDatabase.with("stale") { db in
            let original = Sample.rows(day, count: 4, tag: "orig")
            let (committedRun, _) = try await db.commit(day, original)
            let before = try await db.reader.committedDays(limit: 5)
            let replacement = Sample.rows(day, count: 2, tag: "late")
            // The committed run's writer is done; a queued run's writer has not been claimed.
            let queued = try await db.ledger().kick(date: day)
            for runID in [committedRun, queued.runID, "unknown-run"] {
                await #expect(throws: LedgerError.stageNotRunning(runID: runID, stage: .writer)) {
                    try await db.writer.replaceDay(
                        date: day, runID: runID, recommendationsCSV: Sample.csv(replacement),
                        advertisersCSV: Sample.advertisersCSV(replacement))
                }
            }
            #expect(try await db.reader.recommendations(date: day.description) == original)
            #expect(try await db.reader.committedDays(limit: 5) == before)
            #expect(try await db.ledger().run(id: queued.runID)?.state == .queued)
        }
    }

    @Test func commitNotifiesWithDateAndRunID() async throws {
        try await TestDatabase.with("notify") { db in
            let listener = PGListener(db.config.connectInfo(applicationName: "adrecs-db-tests"), channels: [DayWriter.daysChannel])
            var iterator = listener.makeAsyncIterator()
            let marker = try await iterator.next()
            #expect(marker?.isResync == true)
            let (runID, _) = try await db.commit(day, Sample.rows(day, count: 2, tag: "n"))
            let expected = "2025-11-15 \(runID)"
            var received: PGNotification?
            while let notification = try await iterator.next() {
                if notification.payload == expected {
                    received = notification
                    break
                }
            }
            #expect(received?.channel == "adrecs_days")
        }
    }
}
