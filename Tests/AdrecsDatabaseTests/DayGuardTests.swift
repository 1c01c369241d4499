import AdrecsDatabase
import AdrecsDomain
import Foundation
import LibPQ
import Testing

/// The writer's volume check inside the day's transaction, and retracting a committed day,
/// against a real PostgreSQL.
@Suite(.timeLimit(.minutes(3)))
struct DayGuardTests {
    let day = Day("2025-11-15")!
    let previous = Day("2025-11-14")!

    /// Waits (bounded) for a notification on ``DayWriter/daysChannel`` with `payload`; nil if none came.
    static func notification(_ iterator: inout PGListener.Iterator, _ payload: String) async throws -> PGNotification? {
        while let notification = try await iterator.next() {
            if notification.payload == payload { return notification }
        }
        return nil
    }

    @Test func anEmptyDayAfterANormalOneIsRefusedAndChangesNothing() async throws {
        try await TestDatabase.with("guard") { db in
            let (served, _) = try await db.commit(previous, Sample.rows(previous, count: 40, tag: "prev"))
            let runID = try await db.runAtWriter(day)
            let error = await #expect(throws: SuspiciousDay.self) {
                try await db.writer.replaceDay(
                    date: day, runID: runID, recommendationsCSV: Sample.csv([]), advertisersCSV: Sample.advertisersCSV([]))
            }
            #expect(error == SuspiciousDay(date: "2025-11-15", rows: 0, median: 40, days: 1, minFraction: 0.5))
            #expect(error?.description.hasPrefix("suspicious_day: 2025-11-15 has 0 recommendation rows") == true)
            // Nothing written: the committed days, and the writer stage still running (the worker fails it).
            let committed = try await db.reader.committedDays(limit: 10)
            #expect(committed.map(\.date) == ["2025-11-14"] && committed.first?.runID == served)
            #expect(try await db.ledger().run(id: runID)?.stage(.writer)?.state == .running)
        }
    }

    @Test func aDayFarBelowTheMedianIsRefusedAndAReplacementIsComparedWithTheOthers() async throws {
        try await TestDatabase.with("guardm") { db in
            for (index, count) in [30, 50, 40].enumerated() {
                let date = Day(year: 2025, month: 11, day: 10 + index)!
                try await db.commit(date, Sample.rows(date, count: count, tag: "d\(index)"))
            }
            // Median 40: 19 rows is below half of it, 20 is not.
            let runID = try await db.runAtWriter(day)
            let error = await #expect(throws: SuspiciousDay.self) {
                try await db.writer.replaceDay(
                    date: day, runID: runID, recommendationsCSV: Sample.csv(Sample.rows(day, count: 19, tag: "low")),
                    advertisersCSV: Sample.advertisersCSV(Sample.rows(day, count: 19, tag: "low")))
            }
            #expect(error?.median == 40 && error?.rows == 19 && error?.days == 3)
            #expect(try await db.count(day.description) == 0)
            try await db.ledger().failStage(runID: runID, stage: .writer, error: "\(try #require(error))")
            try await db.commit(day, Sample.rows(day, count: 20, tag: "ok"))
            // Replacing the day itself: its own earlier count is not part of the median (30, 50, 40).
            try await db.commit(day, Sample.rows(day, count: 21, tag: "again"))
            #expect(try await db.count(day.description) == 21)
            // A lower fraction lets a smaller day through.
            let lenient = DayWriter(pool: db.pool, logger: db.logger, minRowsFraction: 0.1)
            let small = Sample.rows(day, count: 5, tag: "small")
            let smallRun = try await db.runAtWriter(day)
            let result = try await lenient.replaceDay(
                date: day, runID: smallRun, recommendationsCSV: Sample.csv(small), advertisersCSV: Sample.advertisersCSV(small))
            #expect(result.recommendationRows == 5)
        }
    }

    @Test func withNoDayCommittedOnlyAnEmptyDayIsRefused() async throws {
        try await TestDatabase.with("guard0") { db in
            let runID = try await db.runAtWriter(day)
            await #expect(throws: SuspiciousDay(date: "2025-11-15", rows: 0, median: nil, days: 0, minFraction: 0.5)) {
                try await db.writer.replaceDay(
                    date: day, runID: runID, recommendationsCSV: Sample.csv([]), advertisersCSV: Sample.advertisersCSV([]))
            }
            try await db.ledger().failStage(runID: runID, stage: .writer, error: "suspicious_day")
            let (_, result) = try await db.commit(day, Sample.rows(day, count: 1, tag: "one"))
            #expect(result.recommendationRows == 1)
        }
    }

    @Test func aForcedRunCommitsASuspiciousDay() async throws {
        try await TestDatabase.with("guardf") { db in
            try await db.commit(previous, Sample.rows(previous, count: 40, tag: "prev"))
            let (runID, result) = try await db.commit(day, [], force: true)
            #expect(result == DayWriteResult(recommendationRows: 0, advertisers: 0))
            let committed = try await db.reader.committedDays(limit: 10)
            #expect(committed.map(\.date) == ["2025-11-15", "2025-11-14"] && committed.first?.runID == runID)
            let run = try #require(try await db.ledger().run(id: runID))
            #expect(run.force && run.state == .succeeded)
        }
    }

    @Test func retractRemovesTheDayRecordsItAndNotifies() async throws {
        try await TestDatabase.with("retract") { db in
            let ledger = db.ledger()
            try await db.commit(previous, Sample.rows(previous, count: 40, tag: "prev"))
            let (runID, _) = try await db.commit(day, Sample.rows(day, count: 45, tag: "bad"))
            let listener = PGListener(db.config.connectInfo(applicationName: "adrecs-db-tests"), channels: [DayWriter.daysChannel])
            var iterator = listener.makeAsyncIterator()
            #expect(try await iterator.next()?.isResync == true)

            let removed = try await ledger.retract(date: day, source: .cli)
            #expect(removed.date == "2025-11-15" && removed.runID == runID && removed.source == .cli)
            #expect(removed.recommendationRows == 45 && removed.advertisers == 3)
            #expect(removed.retractedAt.hasSuffix("Z") && removed.retractedAt.count == 24)
            #expect(try await Self.notification(&iterator, "2025-11-15 retracted")?.channel == "adrecs_days")

            #expect(try await db.reader.committedDays(limit: 10).map(\.date) == ["2025-11-14"])
            #expect(try await db.count("2025-11-15") == 0)
            #expect(try await db.reader.activeAdvertisers(date: "2025-11-15").isEmpty)
            #expect(try await db.count("2025-11-14") == 40)
            let recorded = try await db.pool.query("""
                SELECT to_char(date, 'YYYY-MM-DD') AS date, run_id, recommendation_rows, advertisers, source FROM retractions
                """)
            #expect(recorded.count == 1)
            let row = try #require(recorded.first)
            #expect(try row.decode("date", as: String.self) == "2025-11-15" && row.decode("run_id", as: String.self) == runID)
            #expect(try row.decode("recommendation_rows", as: Int.self) == 45 && row.decode("source", as: String.self) == "cli")
            // The JSON `DELETE /days/<date>` answers.
            let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(removed)) as? [String: Any])
            #expect(Set(object.keys) == ["date", "run_id", "retracted_at", "recommendation_rows", "advertisers", "source"])

            // Nothing left to retract.
            await #expect(throws: LedgerError.dayNotCommitted("2025-11-15")) {
                try await ledger.retract(date: day, source: .http)
            }
        }
    }

    @Test func retractRefusesWhileARunOfTheDateIsInProgress() async throws {
        try await TestDatabase.with("retractr") { db in
            let ledger = db.ledger()
            try await db.commit(day, Sample.rows(day, count: 10, tag: "keep"))
            let active = try await ledger.kick(date: day)
            await #expect(throws: LedgerError.runInProgress(runID: active.runID, date: "2025-11-15")) {
                try await ledger.retract(date: day, source: .http)
            }
            #expect(try await db.count("2025-11-15") == 10)
            // Once that run is stale, a retraction abandons it as a kick would, then proceeds.
            let removed = try await db.ledger(staleAfter: .zero).retract(date: day, source: .http)
            #expect(removed.recommendationRows == 10)
            let abandoned = try #require(try await ledger.run(id: active.runID))
            #expect(abandoned.state == .failed && abandoned.error?.hasPrefix("abandoned: no progress for") == true)
        }
    }
}
