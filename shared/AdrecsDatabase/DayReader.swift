public import AdrecsDomain
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
    public func recommendations(date: String) async throws -> [Recommendation] {
        try await pool.withConnection { connection in
            try connection.query("""
                SELECT \(Self.columns) FROM recommendations WHERE date = $1::date
                ORDER BY advertiser_id COLLATE "C", model COLLATE "C", rank
                """, [date]).map(Self.recommendation)
        }
    }

    /// The day's active advertisers, bytewise order.
    public func activeAdvertisers(date: String) async throws -> [String] {
        try await pool.withConnection { connection in
            try Self.activeAdvertisers(connection, date: date)
        }
    }

    /// Streams the newest `limit` committed days into `consumer`, read in one `REPEATABLE READ,
    /// READ ONLY` transaction so they belong together even while a day is replaced: first the days
    /// with their active advertisers, then every recommendation of those days, ordered by
    /// advertiser id (bytewise), date (newest first), model, rank.
    ///
    /// The rows come from a server-side cursor, `batchSize` at a time, so at most one batch of
    /// rows is held here however many days are read.
    public func readSnapshot<Consumer: DaySnapshotConsumer>(
        limit: Int, batchSize: Int = 2_000, into consumer: inout Consumer
    ) async throws {
        try await pool.withConnection { connection in
            try connection.transaction { connection in
                try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let days = try Self.committedDays(connection, limit: limit)
                try consumer.begin(days.map { day in
                    DaySnapshot(day: day, advertisers: try Self.activeAdvertisers(connection, date: day.date))
                })
                guard !days.isEmpty else { return }
                try connection.execute("""
                    DECLARE adrecs_snapshot NO SCROLL CURSOR FOR
                    SELECT \(Self.columns) FROM recommendations
                    WHERE date IN (SELECT date FROM committed_days ORDER BY date DESC LIMIT $1)
                    ORDER BY advertiser_id COLLATE "C", date DESC, model COLLATE "C", rank
                    """, [max(0, limit)])
                let fetch = "FETCH FORWARD \(max(1, batchSize)) FROM adrecs_snapshot"
                while true {
                    let batch = try connection.query(fetch)
                    for row in batch { try consumer.consume(try Self.recommendation(row)) }
                    if batch.count < max(1, batchSize) { break }
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

    /// The select list ``recommendation(_:)`` decodes, by position.
    static let columns = "\(SQLText.day("date")) AS date, advertiser_id, model, rank, product_id, views, impressions, clicks, ctr"

    /// A row of ``columns``.
    static func recommendation(_ row: PGRow) throws(PGError) -> Recommendation {
        let date = try row.decode(0, as: String.self), model = try row.decode(2, as: String.self)
        guard let day = Day(date) else {
            throw PGError(.decode, message: "recommendations.date \"\(date)\" is not a date")
        }
        guard let kind = ModelKind(rawValue: model) else {
            throw PGError(.decode, message: "recommendations.model \"\(model)\" is not a known model")
        }
        return Recommendation(
            day: day, advertiserId: try row.decode(1), model: kind, rank: try row.decode(3),
            productId: try row.decode(4), views: try row.decode(5), impressions: try row.decode(6),
            clicks: try row.decode(7), ctr: try row.decode(8))
    }

    static func activeAdvertisers(_ connection: PGConnection, date: String) throws -> [String] {
        try connection.query("""
            SELECT advertiser_id FROM active_advertisers WHERE date = $1::date ORDER BY advertiser_id COLLATE "C"
            """, [date]).map { try $0.decode("advertiser_id", as: String.self) }
    }
}

/// One committed day of a snapshot read with its active advertisers; its recommendations are
/// streamed separately (see ``DayReader/readSnapshot(limit:batchSize:into:)``).
public struct DaySnapshot: Sendable, Equatable {
    public var day: CommittedDay
    /// Bytewise order.
    public var advertisers: [String]

    public init(day: CommittedDay, advertisers: [String]) {
        self.day = day
        self.advertisers = advertisers
    }
}

/// Receives a consistent read of the newest committed days from
/// ``DayReader/readSnapshot(limit:batchSize:into:)``, one row at a time.
public protocol DaySnapshotConsumer {
    /// The days read, newest first, with their active advertisers; called once, before any row.
    mutating func begin(_ days: [DaySnapshot]) throws
    /// One recommendation of those days. Rows arrive ordered by advertiser id (bytewise), then
    /// date (newest first), model, rank: each advertiser's rows of every day are contiguous.
    mutating func consume(_ row: Recommendation) throws
}
