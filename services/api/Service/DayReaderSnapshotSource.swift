public import AdrecsDatabase
import AdrecsDomain

/// Reads committed days from PostgreSQL through `DayReader` (tables `committed_days`,
/// `recommendations`, `active_advertisers`); `loadDays` reads all days in one REPEATABLE READ
/// snapshot, so the rows of each day belong to its run id.
public struct DayReaderSnapshotSource: SnapshotSource {
    let reader: DayReader

    public init(reader: DayReader) {
        self.reader = reader
    }

    public func committedDays(limit: Int) async throws -> [DayStamp] {
        try await reader.committedDays(limit: limit).map(Self.stamp)
    }

    /// Converts day by day, releasing each day's rows as it goes, to keep the peak memory low.
    public func loadDays(limit: Int) async throws -> [SnapshotDay] {
        var stored = try await reader.snapshot(limit: limit)
        var days: [SnapshotDay] = []
        days.reserveCapacity(stored.count)
        while let day = stored.popLast() {
            days.append(SnapshotDay(
                stamp: try Self.stamp(day.day),
                recommendations: try day.recommendations.map { row in
                    guard let model = ModelKind(rawValue: row.model) else {
                        throw APIError(status: .internalServerError, code: "bad_row",
                                       message: "recommendations.model \(row.model) is not a known model")
                    }
                    return SnapshotRecommendation(
                        advertiserID: row.advertiserID, model: model, rank: row.rank, productID: row.productID,
                        views: row.views, impressions: row.impressions, clicks: row.clicks, ctr: row.ctr)
                },
                activeAdvertisers: day.advertisers))
        }
        return days
    }

    private static func stamp(_ day: CommittedDay) throws -> DayStamp {
        guard let date = Day(day.date) else {
            throw APIError(status: .internalServerError, code: "bad_row", message: "committed_days.date \(day.date) is not a date")
        }
        return DayStamp(date: date, runID: day.runID, committedAt: day.committedAt)
    }
}
