import AdrecsDatabase
import AdrecsDomain
import Testing

@Suite(.timeLimit(.minutes(2)))
struct DayReaderTests {
    @Test func recommendationsAreOrderedBytewiseThenByModelAndNumericRank() async throws {
        try await TestDatabase.with("order") { db in
            let day = Day("2025-11-15")!
            var rows: [Recommendation] = []
            for advertiser in ["a", "_x", "B", "Z9", "b"] {
                for rank in [10, 2, 1] {
                    rows.append(Recommendation(day: day, advertiserId: advertiser, model: .topProduct, rank: rank,
                                               productId: "p\(rank)", views: rank))
                    rows.append(Recommendation(day: day, advertiserId: advertiser, model: .topCTR, rank: rank,
                                               productId: "q\(rank)", impressions: rank, clicks: 1, ctr: 1 / Double(rank)))
                }
            }
            try await db.commit(day, rows.shuffled())
            let stored = try await db.reader.recommendations(date: "2025-11-15")
            #expect(stored.map(\.advertiserID) == ["B", "Z9", "_x", "a", "b"].flatMap { Array(repeating: $0, count: 6) })
            #expect(stored.prefix(6).map(\.model) == ["TopCTR", "TopCTR", "TopCTR", "TopProduct", "TopProduct", "TopProduct"])
            #expect(stored.prefix(6).map(\.rank) == [1, 2, 10, 1, 2, 10])
            #expect(stored == rows.sorted(by: Recommendation.csvOrder).map(Sample.stored))
            #expect(try await db.reader.activeAdvertisers(date: "2025-11-15") == ["B", "Z9", "_x", "a", "b"])
            #expect(try await db.reader.recommendations(date: "2025-11-16").isEmpty)
        }
    }

    @Test func committedDaysAreNewestFirstAndSnapshotsMatch() async throws {
        try await TestDatabase.with("days") { db in
            let dates = ["2025-11-17", "2025-11-15", "2025-11-18", "2025-11-16"].map { Day($0)! }
            for (index, date) in dates.enumerated() {
                try await db.commit(date, Sample.rows(date, count: index + 1, tag: "d\(index)"))
            }
            let days = try await db.reader.committedDays(limit: 3)
            #expect(days.map(\.date) == ["2025-11-18", "2025-11-17", "2025-11-16"])
            #expect(days.map(\.recommendationRows) == [3, 1, 4])
            #expect(days.allSatisfy { $0.committedAt.hasSuffix("Z") && $0.advertisers == 1 })
            let snapshot = try await db.reader.snapshot(limit: 2)
            #expect(snapshot.map(\.day) == Array(days.prefix(2)))
            #expect(snapshot.map(\.recommendations.count) == [3, 1])
            #expect(snapshot.first?.advertisers == ["adv0"])
        }
    }
}
