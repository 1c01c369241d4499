import AdrecsDatabase
import Testing

/// The writer's volume rule, without a server.
@Suite struct SuspiciousDayTests {
    @Test(arguments: [
        ([], nil), ([7], 7), ([3, 1, 2], 2), ([4, 1, 3, 2], 2.5), ([10, 10, 0, 10], 10),
    ] as [([Int], Double?)])
    func medianOfTheRecentDays(values: [Int], median: Double?) {
        #expect(SuspiciousDay.median(values) == median)
    }

    @Test func noDayCommittedYetOnlyRefusesAnEmptyDay() throws {
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 1, recentRows: [], minFraction: 0.5) == nil)
        let empty = try #require(SuspiciousDay.check(date: "2025-11-15", rows: 0, recentRows: [], minFraction: 0.5))
        #expect(empty == SuspiciousDay(date: "2025-11-15", rows: 0, median: nil, days: 0, minFraction: 0.5))
        #expect(empty.description.hasPrefix("suspicious_day: 2025-11-15 has 0 recommendation rows: no recommendations at all"))
    }

    @Test func aDayBelowTheFractionOfTheMedianIsRefusedAndAtItAccepted() throws {
        let recent = [1000, 1200, 800, 1100, 900, 1000, 1050] // median 1000
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 500, recentRows: recent, minFraction: 0.5) == nil)
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 5000, recentRows: recent, minFraction: 0.5) == nil)
        let low = try #require(SuspiciousDay.check(date: "2025-11-15", rows: 499, recentRows: recent, minFraction: 0.5))
        #expect(low.median == 1000 && low.days == 7 && low.rows == 499)
        // Names both counts.
        #expect(low.description.hasPrefix("suspicious_day: 2025-11-15 has 499 recommendation rows: fewer than 0.5 × 1000"))
        #expect(low.description.contains("the median of the last 7 committed days is 1000 rows"))
        #expect(low.description.contains("force"))
    }

    @Test func anEmptyDayIsRefusedWhateverTheFraction() throws {
        let refused = try #require(SuspiciousDay.check(date: "2025-11-15", rows: 0, recentRows: [40, 41], minFraction: 0))
        #expect(refused.description.contains("has 0 recommendation rows: no recommendations at all"))
        #expect(refused.description.contains("is 40.5 rows"))
        // Fraction 0 keeps only the empty check.
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 1, recentRows: [40, 41], minFraction: 0) == nil)
    }

    @Test func fractionOneRequiresTheMedian() {
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 9, recentRows: [10, 10, 10], minFraction: 1) != nil)
        #expect(SuspiciousDay.check(date: "2025-11-15", rows: 10, recentRows: [10, 10, 10], minFraction: 1) == nil)
    }
}
