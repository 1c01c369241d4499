public import LibPQ

/// Reads committed days (for the API's snapshot and for tests).
public struct DayReader: Sendable {
    let pool: PGPool

    public init(pool: PGPool) {
        self.pool = pool
    }

    /// The committed days, newest date first, at most `limit`.
    public func committedDays(limit: Int) async throws -> [CommittedDay] {
        try await pool.withConnection { connection in
            try Self.committedDays(connection, limit: limit)
        }
    }

    /// The day's recommendations ordered by advertiser id (bytewise), model, rank.
    public func recommendations(date: String) async throws -> [StoredRecommendation] {
        try await pool.withConnection { connection in
            try Self.recommendations(connection, date: date)
        }
    }

    /// The day's active advertisers, bytewise order.
    public func activeAdvertisers(date: String) async throws -> [String] {
        try await pool.withConnection { connection in
            try Self.activeAdvertisers(connection, date: date)
        }
    }

    /// The newest `limit` committed days with their recommendations and active advertisers,
    /// read in one `REPEATABLE READ` snapshot, so they belong together even while a day is replaced.
    public func snapshot(limit: Int) async throws -> [DaySnapshot] {
        try await pool.withConnection { connection in
            try connection.transaction { connection in
                try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return try Self.committedDays(connection, limit: limit).map { day in
                    DaySnapshot(
                        day: day, recommendations: try Self.recommendations(connection, date: day.date),
                        advertisers: try Self.activeAdvertisers(connection, date: day.date))
                }
            }
        }
    }

    static func committedDays(_ connection: PGConnection, limit: Int) throws -> [CommittedDay] {
        try connection.query("""
            SELECT \(SQLText.day("date")) AS date, run_id, \(SQLText.iso("committed_at")) AS committed_at,
              recommendation_rows, advertisers
            FROM committed_days ORDER BY date DESC LIMIT $1
            """, [max(0, limit)]).map { row in
            CommittedDay(
                date: try row.decode("date"), runID: try row.decode("run_id"), committedAt: try row.decode("committed_at"),
                recommendationRows: try row.decode("recommendation_rows"), advertisers: try row.decode("advertisers"))
        }
    }

    static func recommendations(_ connection: PGConnection, date: String) throws -> [StoredRecommendation] {
        try connection.query("""
            SELECT \(SQLText.day("date")) AS date, advertiser_id, model, rank, product_id, views, impressions, clicks, ctr
            FROM recommendations WHERE date = $1::date
            ORDER BY advertiser_id COLLATE "C", model COLLATE "C", rank
            """, [date]).map { row in
            StoredRecommendation(
                date: try row.decode("date"), advertiserID: try row.decode("advertiser_id"), model: try row.decode("model"),
                rank: try row.decode("rank"), productID: try row.decode("product_id"), views: try row.decode("views"),
                impressions: try row.decode("impressions"), clicks: try row.decode("clicks"), ctr: try row.decode("ctr"))
        }
    }

    static func activeAdvertisers(_ connection: PGConnection, date: String) throws -> [String] {
        try connection.query("""
            SELECT advertiser_id FROM active_advertisers WHERE date = $1::date ORDER BY advertiser_id COLLATE "C"
            """, [date]).map { try $0.decode("advertiser_id", as: String.self) }
    }
}
