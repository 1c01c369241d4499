import AdrecsDomain
import APIService
import Foundation
import Testing

@Suite struct SnapshotTests {
    @Test func keepsTheSevenDaysEndingAtTheLatest() throws {
        // Gaps count as days: 11-01 and 11-03 are outside 7 days ending 11-09.
        let days = ["2025-11-01", "2025-11-03", "2025-11-04", "2025-11-09", "2025-11-06"].enumerated().map {
            Fixtures.day($0.element, dayNumber: $0.offset)
        }
        let snapshot = try #require(Snapshot.build(days: days))
        #expect(snapshot.days.map(\.date.description) == ["2025-11-09", "2025-11-06", "2025-11-04", "2025-11-03"])
        #expect(snapshot.latest.date == Day("2025-11-09"))
        #expect(snapshot.advertiserCount == 4)
        #expect(snapshot.byteCount > 0)
    }

    @Test func windowCrossesMonthAndYearEnds() throws {
        let days = ["2024-12-26", "2024-12-27", "2025-01-02"].enumerated().map { Fixtures.day($0.element, dayNumber: $0.offset) }
        let snapshot = try #require(Snapshot.build(days: days))
        #expect(snapshot.days.map(\.date.description) == ["2025-01-02", "2024-12-27"])
    }

    @Test func noDaysNoSnapshot() {
        #expect(Snapshot.build(days: []) == nil)
    }

    /// A streaming source must hand over each advertiser's rows together, after the days.
    @Test func builderRejectsRowsOutOfOrder() throws {
        let day = Fixtures.day("2025-11-08", dayNumber: 8)
        var early = SnapshotBuilder()
        #expect(throws: APIError.self) { try early.consume(day.recommendations[0]) }

        var builder = SnapshotBuilder()
        try builder.begin([(stamp: day.stamp, activeAdvertisers: day.activeAdvertisers)])
        #expect(throws: APIError.self) { try builder.begin([(stamp: day.stamp, activeAdvertisers: [])]) }
        let adv1 = day.recommendations.filter { $0.advertiserId == "adv1" }
        let adv2 = day.recommendations.filter { $0.advertiserId == "adv2" }
        try builder.consume(adv1[0])
        try builder.consume(adv2[0])
        let error = #expect(throws: APIError.self) { try builder.consume(adv1[1]) }
        #expect(error?.code == "bad_row")
    }

    /// Rows streamed in order give the same bodies as the in-memory build.
    @Test func streamedRowsBuildTheSameSnapshot() throws {
        let days = Fixtures.days()
        let loadedAt = Date(timeIntervalSince1970: 1_763_000_000)
        let expected = try #require(Snapshot.build(days: days, loadedAt: loadedAt))
        var builder = SnapshotBuilder(loadedAt: loadedAt)
        try builder.begin(days.map { (stamp: $0.stamp, activeAdvertisers: $0.activeAdvertisers) })
        let rows = days.flatMap(\.recommendations).sorted { lhs, rhs in
            (lhs.advertiserId, rhs.day, lhs.model.rawValue, lhs.rank) < (rhs.advertiserId, lhs.day, rhs.model.rawValue, rhs.rank)
        }
        for row in rows { try builder.consume(row) }
        let streamed = try #require(builder.finish())
        #expect(streamed.etag == expected.etag)
        #expect(streamed.byteCount == expected.byteCount)
        #expect(streamed.advertiserCount == expected.advertiserCount)
    }

    @Test func etagDependsOnDatesAndRunIDs() throws {
        let a = try #require(Snapshot.build(days: Fixtures.days()))
        let b = try #require(Snapshot.build(days: Fixtures.days()))
        #expect(a.etag == b.etag)
        var recommitted = Fixtures.days()
        recommitted[7].stamp.runID = "2025-11-08T050000-ffffffff"
        let c = try #require(Snapshot.build(days: recommitted))
        #expect(c.etag != a.etag)
        #expect(a.etag.hasPrefix("\"") && a.etag.hasSuffix("\"") && a.etag.count == 18)
    }

    @Test func storeSwapsAndRetiresTheOldSnapshot() throws {
        let store = SnapshotStore()
        #expect(store.snapshot == nil)
        let first = try #require(Snapshot.build(days: Fixtures.days()))
        store.replace(with: first)
        #expect(store.snapshot === first)
        let second = try #require(Snapshot.build(days: Fixtures.days(lastDayOfMonth: 9)))
        store.replace(with: second)
        #expect(store.snapshot === second)
        #expect(store.retiredCount == 1)
        store.purgeRetired() // within the grace period: still retained
        #expect(store.retiredCount == 1)
    }

    /// The reloader waits for replaced snapshots to be released before building another one.
    @Test func releaseRetiredWaitsForTheGraceThenReleases() async throws {
        let store = SnapshotStore(retirementGrace: .milliseconds(300))
        #expect(await store.releaseRetired() == 0)
        store.replace(with: try #require(Snapshot.build(days: Fixtures.days())))
        let start = ContinuousClock.now
        store.replace(with: try #require(Snapshot.build(days: Fixtures.days(lastDayOfMonth: 9))))
        #expect(store.retiredCount == 1)
        #expect(await store.releaseRetired() == 1)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        #expect(store.retiredCount == 0)
        #expect(store.snapshot?.latest.date.description == "2025-11-09")
    }

    @Test func concurrentReadersAlwaysSeeACompleteSnapshot() async throws {
        let store = SnapshotStore()
        let snapshots = try (0..<4).map { try #require(Snapshot.build(days: Fixtures.days(lastDayOfMonth: 8 + $0))) }
        store.replace(with: snapshots[0])
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var seen = 0
                    for _ in 0..<20_000 {
                        guard let snapshot = store.snapshot else { continue }
                        if snapshot.days.count == 7 { seen += 1 }
                    }
                    return seen
                }
            }
            group.addTask {
                for i in 0..<2_000 { store.replace(with: snapshots[i % snapshots.count]) }
                return 0
            }
            var total = 0
            for await seen in group { total += seen }
            #expect(total == 80_000)
        }
    }
}
