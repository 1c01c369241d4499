import AdrecsDatabase
import AdrecsDomain
import AdrecsWire
import Foundation
import Testing

/// The writer stage through a real socket, S3 and PostgreSQL.
@Suite("Writer stage", .serialized, .timeLimit(.minutes(3)))
struct WriterStageTests {
    /// 2 advertisers × (TopCTR, TopProduct) of one day, with empty metrics where the model has none.
    static func rows(_ day: Day, product: String = "p") -> [Recommendation] {
        ["ADV1", "ADV2"].flatMap { advertiser in
            (1...3).map { rank in
                Recommendation(day: day, advertiserId: advertiser, model: .topCTR, rank: rank, productId: "\(product)\(rank)",
                               views: nil, impressions: 10 * rank, clicks: rank, ctr: 1.0 / Double(10 * rank) + 0.1)
            } + (1...2).map { rank in
                Recommendation(day: day, advertiserId: advertiser, model: .topProduct, rank: rank, productId: "\(product)v\(rank)",
                               views: 100 - rank, impressions: nil, clicks: nil, ctr: nil)
            }
        }
    }

    @Test func replacesTheDayAndIgnoresADuplicate() async throws {
        let day = try #require(Day("2025-11-15"))
        try await WriterHarness.with { harness in
            // A previous day's content, replaced as a whole.
            let firstRun = try await harness.queueWriter(day)
            let first = try await harness.putModelsOutput(day: day, runID: firstRun, rows: Self.rows(day, product: "old"), advertisers: ["ADV1", "ADV2", "ADV3"])
            try await harness.toWriter.send(WireCodec.encode(first))
            _ = try await harness.waitForRun(firstRun) { $0.state == .succeeded }

            let runID = try await harness.queueWriter(day)
            let rows = Self.rows(day)
            let message = try await harness.putModelsOutput(day: day, runID: runID, rows: rows, advertisers: ["ADV1", "ADV2"])
            try await harness.toWriter.send(WireCodec.encode(message))
            let run = try await harness.waitForRun(runID) { $0.state != .queued && $0.state != .running }
            #expect(run.state == .succeeded, "run: \(run)")
            #expect(run.stage(.writer)?.state == .succeeded)
            #expect(try await harness.storedRows(day) == rows)
            let advertisers = try await harness.pool.query("SELECT count(*)::int AS n FROM active_advertisers WHERE date = $1::date", [day.description])
            #expect(try advertisers.first?.decode("n", as: Int.self) == 2)
            let committed = try await harness.pool.query(
                "SELECT run_id, committed_at::text AS at FROM committed_days WHERE date = $1::date", [day.description])
            let commit = try #require(committed.first, "the day is not committed")
            #expect(try commit.decode("run_id", as: String.self) == runID)
            let committedAt = try commit.decode("at", as: String.self)

            // The same message again, then one for another day: the duplicate is skipped, the next one processed.
            try await harness.toWriter.send(WireCodec.encode(message))
            let otherDay = try #require(Day("2025-11-16"))
            let otherRun = try await harness.queueWriter(otherDay)
            let other = try await harness.putModelsOutput(day: otherDay, runID: otherRun, rows: Self.rows(otherDay), advertisers: ["ADV1", "ADV2"])
            try await harness.toWriter.send(WireCodec.encode(other))
            _ = try await harness.waitForRun(otherRun) { $0.state == .succeeded }
            let after = try await harness.pool.query("SELECT committed_at::text AS at FROM committed_days WHERE date = $1::date", [day.description])
            #expect(try after.first?.decode("at", as: String.self) == committedAt, "the duplicate rewrote the day")
            #expect(try await harness.ledger.run(id: runID)?.state == .succeeded)
            #expect(try await harness.storedRows(day) == rows)
        }
    }

    @Test func unknownVersionFailsTheStageAndTheWorkerGoesOn() async throws {
        let day = try #require(Day("2025-11-18"))
        try await WriterHarness.with { harness in
            let rejectedRun = try await harness.queueWriter(day)
            try await harness.toWriter.send(Array(#"{"type":"models.completed","version":2,"runID":"\#(rejectedRun)"}"#.utf8))
            let rejected = try await harness.waitForRun(rejectedRun) { $0.state == .failed }
            #expect(rejected.stage(.writer)?.state == .failed)
            #expect(rejected.error?.contains("version 2") == true, "error: \(rejected.error ?? "none")")

            let runID = try await harness.queueWriter(day)
            let message = try await harness.putModelsOutput(day: day, runID: runID, rows: Self.rows(day), advertisers: ["ADV1", "ADV2"])
            try await harness.toWriter.send(WireCodec.encode(message))
            let run = try await harness.waitForRun(runID) { $0.state == .succeeded }
            #expect(run.stage(.writer)?.state == .succeeded)
        }
    }

    @Test func missingObjectFailsTheStageWithTheS3Code() async throws {
        let day = try #require(Day("2025-11-19"))
        try await WriterHarness.with { harness in
            let runID = try await harness.queueWriter(day)
            var message = try await harness.putModelsOutput(day: day, runID: runID, rows: Self.rows(day), advertisers: ["ADV1", "ADV2"])
            message.recommendationsKey += ".missing"
            try await harness.toWriter.send(WireCodec.encode(message))
            let run = try await harness.waitForRun(runID) { $0.state == .failed }
            #expect(run.stage(.writer)?.state == .failed)
            #expect(run.error?.contains("NoSuchKey") == true, "error: \(run.error ?? "none")")
            #expect(try await harness.storedRows(day).isEmpty)
        }
    }
}
