import AdrecsDomain
import APIService
import Foundation

/// Deterministic days for the tests: advertisers `adv1`...`advN` with three items per model (the
/// TopProduct list shifts with the day, so lists change from day to day), and `adv_idle`, active
/// on every day but without recommendations.
enum Fixtures {
    static let idle = "adv_idle"

    static func advertisers(_ count: Int) -> [String] {
        (1...count).map { "adv\($0)" }
    }

    /// The rows of one advertiser for one day (`dayNumber` shifts the TopProduct list).
    static func rows(advertiser: String, day: Day, dayNumber: Int) -> [Recommendation] {
        var rows: [Recommendation] = []
        for rank in 1...3 {
            let clicks: Int = 40 - 10 * rank
            let ctr: Double = Double(clicks) / 1000
            let product: String = "p" + String(dayNumber + rank)
            rows.append(Recommendation(day: day, advertiserId: advertiser, model: .topCTR, rank: rank, productId: "c\(rank)",
                                       impressions: 1000, clicks: clicks, ctr: ctr))
            rows.append(Recommendation(day: day, advertiserId: advertiser, model: .topProduct, rank: rank,
                                       productId: product, views: 100 - rank))
        }
        return rows
    }

    static func day(_ date: String, dayNumber: Int, advertisers count: Int = 3) -> SnapshotDay {
        let ids = advertisers(count)
        let day = Day(date)!
        return SnapshotDay(
            stamp: DayStamp(date: day, runID: "\(date)T040000-\(String(format: "%08x", dayNumber))",
                            committedAt: "\(date)T04:10:00.000Z"),
            recommendations: ids.flatMap { rows(advertiser: $0, day: day, dayNumber: dayNumber) },
            activeAdvertisers: ids + [idle]
        )
    }

    /// `count` consecutive days ending 2025-11-`last` (day numbers 1...count).
    static func days(count: Int = 8, lastDayOfMonth last: Int = 8) -> [SnapshotDay] {
        (0..<count).map { offset in
            let dayOfMonth = last - count + 1 + offset
            return day(String(format: "2025-11-%02d", dayOfMonth), dayNumber: dayOfMonth)
        }
    }
}
