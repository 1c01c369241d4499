public import AdrecsDomain
import Foundation
public import LibPQ

/// Reads committed days from PostgreSQL (tables `committed_days`, `recommendations`,
/// `active_advertisers` of the pipeline's schema). Each day is read in one REPEATABLE READ
/// transaction, so its rows and its run id belong to the same commit.
public struct PostgresSnapshotSource: SnapshotSource {
    let pool: PGPool
    let schema: String

    public init(pool: PGPool, schema: String) {
        self.pool = pool
        self.schema = schema
    }

    public func committedDays(limit: Int) async throws -> [DayStamp] {
        let schema = schema
        return try await pool.withConnection { connection in
            _ = try connection.query("SELECT set_config('search_path', $1, false)", [schema])
            let result = try connection.query(
                """
                SELECT date::text AS date, run_id, extract(epoch FROM committed_at)::float8 AS committed
                FROM committed_days ORDER BY date DESC LIMIT $1
                """, [limit])
            return try result.map { row throws(PGError) in try Self.stamp(row) }
        }
    }

    public func load(_ stamp: DayStamp) async throws -> SnapshotDay {
        let schema = schema
        let date = stamp.date.description
        return try await pool.withConnection { connection in
            _ = try connection.query("SELECT set_config('search_path', $1, false)", [schema])
            return try connection.transaction { connection in
                _ = try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                let stamps = try connection.query(
                    """
                    SELECT date::text AS date, run_id, extract(epoch FROM committed_at)::float8 AS committed
                    FROM committed_days WHERE date = $1::date
                    """, [date])
                let current = try stamps.first.map { row throws(PGError) in try Self.stamp(row) } ?? stamp
                let rows = try connection.query(
                    """
                    SELECT advertiser_id, model, rank, product_id, views, impressions, clicks, ctr
                    FROM recommendations WHERE date = $1::date
                    """, [date])
                var recommendations: [SnapshotRecommendation] = []
                recommendations.reserveCapacity(rows.count)
                for row in rows {
                    let modelName: String = try row.decode(1)
                    guard let model = ModelKind(rawValue: modelName) else {
                        throw APIError(status: .internalServerError, code: "bad_row",
                                       message: "recommendations.model \(modelName) is not a known model")
                    }
                    recommendations.append(SnapshotRecommendation(
                        advertiserID: try row.decode(0), model: model, rank: try row.decode(2),
                        productID: try row.decode(3), views: try row.decode(4), impressions: try row.decode(5),
                        clicks: try row.decode(6), ctr: try row.decode(7)))
                }
                let active = try connection.query(
                    "SELECT advertiser_id FROM active_advertisers WHERE date = $1::date", [date])
                let advertisers = try active.map { row throws(PGError) -> String in try row.decode(0) }
                return SnapshotDay(stamp: current, recommendations: recommendations, activeAdvertisers: advertisers)
            }
        }
    }

    private static func stamp(_ row: PGRow) throws(PGError) -> DayStamp {
        let text: String = try row.decode("date")
        guard let date = Day(text) else {
            throw PGError(.decode, message: "committed_days.date \(text) is not a date")
        }
        let seconds: Double = try row.decode("committed")
        return DayStamp(date: date, runID: try row.decode("run_id"), committedAt: Date(timeIntervalSince1970: seconds))
    }
}
