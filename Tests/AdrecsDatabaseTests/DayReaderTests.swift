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
            #expect(stored.map(\.advertiserId) == ["B", "Z9", "_x", "a", "b"].flatMap { Array(repeating: $0, count: 6) })
            #expect(stored.prefix(6).map(\.model.rawValue) == ["TopCTR", "TopCTR", "TopCTR", "TopProduct", "TopProduct", "TopProduct"])
            #expect(stored.prefix(6).map(\.rank) == [1, 2, 10, 1, 2, 10])
            #expect(stored == rows.sorted(by: Recommendation.csvOrder))
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
            var snapshot = CollectingConsumer()
            try await db.reader.readSnapshot(limit: 2, batchSize: 2, into: &snapshot)
            #expect(snapshot.days.map(\.day) == Array(days.prefix(2)))
            #expect(snapshot.days.first?.advertisers == ["adv0"])
            #expect(snapshot.rows.map(\.day.description) == ["2025-11-18", "2025-11-18", "2025-11-18", "2025-11-17"])
        }
    }

    /// Rows stream advertiser by advertiser (bytewise), newest day first, across fetch batches,
    /// and only from the days read (an older committed day stays out).
    @Test(arguments: [1, 3, 1_000])
    func snapshotStreamsRowsAdvertiserByAdvertiser(batchSize: Int) async throws {
        try await TestDatabase.with("stream\(batchSize)") { db in
            let dates = ["2025-11-14", "2025-11-15", "2025-11-16"].map { Day($0)! }
            var committed: [Recommendation] = []
            for date in dates {
                var rows: [Recommendation] = []
                for advertiser in ["b", "B", "a_1"] {
                    for rank in [2, 1] {
                        rows.append(Recommendation(day: date, advertiserId: advertiser, model: .topProduct, rank: rank,
                                                   productId: "\(date)-\(rank)", views: rank))
                        rows.append(Recommendation(day: date, advertiserId: advertiser, model: .topCTR, rank: rank,
                                                   productId: "c\(rank)", impressions: 10, clicks: rank, ctr: Double(rank) / 10))
                    }
                }
                try await db.commit(date, rows.shuffled())
                committed += rows
            }
            var snapshot = CollectingConsumer()
            try await db.reader.readSnapshot(limit: 2, batchSize: batchSize, into: &snapshot)
            #expect(snapshot.days.map(\.day.date) == ["2025-11-16", "2025-11-15"])
            let expected = committed.filter { $0.day != dates[0] }.sorted { lhs, rhs in
                if lhs.advertiserId != rhs.advertiserId { return lhs.advertiserId.utf8.lexicographicallyPrecedes(rhs.advertiserId.utf8) }
                if lhs.day != rhs.day { return lhs.day > rhs.day }
                return (lhs.model, lhs.rank) < (rhs.model, rhs.rank)
            }
            #expect(snapshot.rows == expected)
            #expect(snapshot.rows.first?.advertiserId == "B")
        }
    }

    @Test func snapshotOfAnEmptyDatabaseHasNoDays() async throws {
        try await TestDatabase.with("empty") { db in
            var snapshot = CollectingConsumer()
            try await db.reader.readSnapshot(limit: 7, into: &snapshot)
            #expect(snapshot.began && snapshot.days.isEmpty && snapshot.rows.isEmpty)
        }
    }
}
