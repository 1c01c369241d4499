public import AdrecsDomain
import AdrecsRuntime
public import LibPQ
public import Logging

/// Where the writer stage commits a day: ``DayWriter`` (PostgreSQL) in the service, an in-memory
/// committer in unit tests of the stage's logic.
public protocol DayCommitter: Sendable {
    /// Replaces `date` with the models' CSV documents and completes the run's writer stage, all
    /// at once (``DayWriter/replaceDay(date:runID:attempt:recommendationsCSV:advertisersCSV:)``),
    /// logging with `logger`.
    func replaceDay(
        date: Day, runID: String, attempt: Int?, recommendationsCSV: [UInt8], advertisersCSV: [UInt8], logger: Logger
    ) async throws -> DayWriteResult
}

/// Replaces one day's results in a single transaction (design §Contracts 4).
public struct DayWriter: DayCommitter {
    /// Channel notified with `"<date> <run id>"` when a day is committed.
    public static let daysChannel = "adrecs_days"

    let pool: PGPool
    let logger: Logger
    /// A day with fewer recommendation rows than this fraction of the recent median is refused
    /// (``SuspiciousDay``) unless its run was kicked with `force`.
    let minRowsFraction: Double

    public init(pool: PGPool, logger: Logger, minRowsFraction: Double = SuspiciousDay.defaultMinFraction) {
        self.pool = pool
        self.logger = logger
        self.minRowsFraction = minRowsFraction
    }

    /// ``replaceDay(date:runID:attempt:recommendationsCSV:advertisersCSV:)`` logging with `logger`.
    public func replaceDay(
        date: Day, runID: String, attempt: Int?, recommendationsCSV: [UInt8], advertisersCSV: [UInt8], logger: Logger
    ) async throws -> DayWriteResult {
        try await DayWriter(pool: pool, logger: logger, minRowsFraction: minRowsFraction).replaceDay(
            date: date, runID: runID, attempt: attempt, recommendationsCSV: recommendationsCSV, advertisersCSV: advertisersCSV)
    }

    /// Replaces `date` with the models' CSV documents, in ONE transaction:
    /// 1. locks the run's writer stage, which must be `running` for `runID` (under claim `attempt`,
    ///    when given) (a stale writer gets
    ///    ``LedgerError/stageNotRunning(runID:stage:)`` and changes nothing) on a run of `date`;
    /// 2. `COPY`s both documents into temporary tables, so a bad row fails with its SQLSTATE
    ///    before anything else is touched, and a row of another date fails with
    ///    ``LedgerError/wrongDate(expected:found:)``. The documents are read as RFC 4180 CSV
    ///    (``AdrecsDomain/RecommendationCSV/Reader``) and loaded in COPY's text format, every
    ///    field escaped (``LibPQ/PGCopyWriter/appendText(_:to:)``): ids are stored byte for byte
    ///    whatever they hold (quotes, backslashes, tabs, spaces, `\.`, any UTF-8), and an unquoted
    ///    empty field is NULL. A document that is not such CSV fails with
    ///    ``AdrecsDomain/DomainError/invalidResultsCSV(line:reason:)``;
    /// 3. deletes the day's `recommendations` and `active_advertisers` and inserts the new rows;
    ///    refuses a suspicious day with ``SuspiciousDay`` (no rows, or fewer than `minRowsFraction`
    ///    × the median of the latest committed days) unless the run was kicked with `force`, so
    ///    the transaction rolls back and what is served stays as it was; upserts `committed_days`,
    ///    marks the writer stage and the run `succeeded`, and notifies
    ///    ``daysChannel`` with `"<date> <run id>"` (delivered at commit).
    ///
    /// Readers are never blocked (MVCC) and see the old day or the new one, never a mix or an
    /// empty day; concurrent writers of the same date are serialized by an advisory lock.
    ///
    /// - Parameters:
    ///   - recommendationsCSV: header `date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr`
    ///     (``AdrecsDomain/RecommendationCSV``), then rows.
    ///   - advertisersCSV: header `advertiser_id`, then one id per line.
    public func replaceDay(
        date: Day, runID: String, attempt: Int? = nil, recommendationsCSV: [UInt8], advertisersCSV: [UInt8]
    ) async throws -> DayWriteResult {
        try await replaceDay(
            date: date, runID: runID, attempt: attempt,
            recommendations: { try Self.copy(recommendationsCSV, header: RecommendationCSV.header, into: $0) },
            advertisers: { try Self.copy(advertisersCSV, header: RecommendationCSV.advertisersHeader, into: $0) })
    }

    /// ``replaceDay(date:runID:recommendationsCSV:advertisersCSV:)`` with the two tables' rows
    /// streamed by closures in COPY's text format (for example ``LibPQ/PGCopyWriter/writeRow(_:)``;
    /// called once each, on the connection's thread, inside the transaction).
    public func replaceDay(
        date: Day, runID: String, attempt: Int? = nil,
        recommendations: (PGCopyWriter) throws -> Void,
        advertisers: (PGCopyWriter) throws -> Void
    ) async throws -> DayWriteResult {
        let day = date.description
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await pool.transaction { connection -> DayWriteResult in
            let stage = try connection.query("""
                SELECT \(SQLText.day("r.date")) AS date FROM run_stages s JOIN runs r USING (run_id)
                WHERE s.run_id = $1 AND s.stage = 'writer' AND s.state = 'running' AND ($2::int IS NULL OR s.attempts = $2)
                FOR UPDATE OF s, r
                """, [runID, attempt])
            guard let row = stage.first else { throw LedgerError.stageNotRunning(runID: runID, stage: .writer) }
            let runDay = try row.decode("date", as: String.self)
            guard runDay == day else { throw LedgerError.wrongDate(expected: runDay, found: day) }
            try connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('adrecs.day'), \(SQLText.dayNumber(parameter: 1)))", [day])

            try connection.execute("""
                CREATE TEMPORARY TABLE incoming_recommendations
                  (LIKE recommendations INCLUDING DEFAULTS INCLUDING CONSTRAINTS) ON COMMIT DROP
                """)
            try connection.execute(
                "CREATE TEMPORARY TABLE incoming_advertisers (advertiser_id text NOT NULL) ON COMMIT DROP")
            try connection.copyFrom("""
                COPY incoming_recommendations (date, advertiser_id, model, rank, product_id, views, impressions, clicks, ctr)
                FROM STDIN
                """, recommendations)
            try connection.copyFrom("COPY incoming_advertisers (advertiser_id) FROM STDIN", advertisers)
            let stray = try connection.query("""
                SELECT \(SQLText.day("date")) AS date FROM incoming_recommendations WHERE date <> $1::date LIMIT 1
                """, [day])
            if let other = stray.first {
                throw LedgerError.wrongDate(expected: day, found: try other.decode("date", as: String.self))
            }

            try connection.execute("DELETE FROM recommendations WHERE date = $1::date", [day])
            let rows = try connection.execute("INSERT INTO recommendations SELECT * FROM incoming_recommendations")
            try checkVolume(connection, day: day, runID: runID, rows: rows)
            try connection.execute("DELETE FROM active_advertisers WHERE date = $1::date", [day])
            let advertiserCount = try connection.execute("""
                INSERT INTO active_advertisers (date, advertiser_id) SELECT $1::date, advertiser_id FROM incoming_advertisers
                """, [day])
            try connection.execute("""
                INSERT INTO committed_days (date, run_id, committed_at, recommendation_rows, advertisers)
                VALUES ($1::date, $2, now(), $3, $4)
                ON CONFLICT (date) DO UPDATE SET run_id = EXCLUDED.run_id, committed_at = EXCLUDED.committed_at,
                  recommendation_rows = EXCLUDED.recommendation_rows, advertisers = EXCLUDED.advertisers
                """, [day, runID, rows, advertiserCount])
            let counts = try RunLedger.json(["recommendation_rows": rows, "advertisers": advertiserCount])
            try connection.execute("""
                UPDATE run_stages SET state = 'succeeded', finished_at = now(), heartbeat_at = now(),
                  counts = $2::jsonb, error = NULL
                WHERE run_id = $1 AND stage = 'writer'
                """, [runID, counts])
            try connection.execute(
                "UPDATE runs SET state = 'succeeded', finished_at = now(), error = NULL WHERE run_id = $1", [runID])
            try connection.notify(Self.daysChannel, payload: "\(day) \(runID)")
            return DayWriteResult(recommendationRows: rows, advertisers: advertiserCount)
        }
        let seconds = (clock.now - start) / .seconds(1)
        logger.info("day replaced", metadata: [
            LogKeys.date: "\(day)", LogKeys.runID: "\(runID)", LogKeys.rows: "\(result.recommendationRows)",
            LogKeys.durationSeconds: "\(seconds)",
        ])
        return result
    }

    /// Streams the records of a CSV document with `header` into a running COPY in text format,
    /// about 1 MiB at a time: fields tab-separated and escaped, an unquoted empty field as NULL.
    static func copy(_ document: [UInt8], header: String, into writer: PGCopyWriter) throws {
        var reader = try RecommendationCSV.Reader(document, header: header)
        var record = RecommendationCSV.Record()
        var chunk: [UInt8] = []
        chunk.reserveCapacity(Self.copyChunkBytes + 4096)
        while try reader.next(into: &record) != nil {
            for index in 0..<record.count {
                if index > 0 { chunk.append(UInt8(ascii: "\t")) }
                if record.isNull(index) {
                    PGCopyWriter.appendText(nil, to: &chunk)
                } else {
                    record.withField(index) { PGCopyWriter.appendText($0, to: &chunk) }
                }
            }
            chunk.append(UInt8(ascii: "\n"))
            if chunk.count >= Self.copyChunkBytes {
                try writer.write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try writer.write(chunk)
    }

    private static let copyChunkBytes = 1 << 20
}

extension DayWriter {
    /// The volume check of ``replaceDay(date:runID:recommendations:advertisers:)``, inside its
    /// transaction (so it sees exactly the days committed before this one): throws
    /// ``SuspiciousDay`` when ``SuspiciousDay/check(date:rows:recentRows:minFraction:)`` refuses
    /// `rows` against the ``SuspiciousDay/recentDays`` latest committed days other than `day`,
    /// unless run `runID` was kicked with `force` (then it only logs a warning).
    func checkVolume(_ connection: PGConnection, day: String, runID: String, rows: Int) throws {
        let recent = try connection.query("""
            SELECT recommendation_rows FROM committed_days WHERE date <> $1::date ORDER BY date DESC LIMIT $2
            """, [day, SuspiciousDay.recentDays]).map { try $0.decode("recommendation_rows", as: Int.self) }
        guard let suspicious = SuspiciousDay.check(date: day, rows: rows, recentRows: recent, minFraction: minRowsFraction) else {
            return
        }
        let forced = try connection.query("SELECT force FROM runs WHERE run_id = $1", [runID]).first?.decode("force", as: Bool.self)
        guard forced == true else { throw suspicious }
        logger.warning("suspicious day committed: the run was kicked with force", metadata: [
            LogKeys.date: "\(day)", LogKeys.runID: "\(runID)", LogKeys.error: "\(suspicious)",
        ])
    }
}

/// What ``DayWriter/replaceDay(date:runID:recommendationsCSV:advertisersCSV:)`` loaded.
public struct DayWriteResult: Sendable, Equatable {
    public var recommendationRows: Int
    public var advertisers: Int

    public init(recommendationRows: Int, advertisers: Int) {
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
    }
}
