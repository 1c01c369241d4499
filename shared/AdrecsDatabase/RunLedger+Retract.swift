import AdrecsConcurrency
public import AdrecsDomain
import AdrecsRuntime
import LibPQ

/// A committed day taken back by ``RunLedger/retract(date:source:)``: what was removed, as
/// `DELETE /days/<date>` answers it (snake_case JSON keys).
public struct DayRetraction: Codable, Sendable, Equatable {
    /// Who asked: ingest's control HTTP or its `retract` command.
    public enum Source: String, Codable, Sendable {
        case http, cli
    }

    /// `YYYY-MM-DD`.
    public var date: String
    /// The run that had committed the day.
    public var runID: String
    /// ISO 8601 UTC.
    public var retractedAt: String
    public var recommendationRows: Int
    public var advertisers: Int
    public var source: Source

    public init(date: String, runID: String, retractedAt: String, recommendationRows: Int, advertisers: Int, source: Source) {
        self.date = date
        self.runID = runID
        self.retractedAt = retractedAt
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case date
        case runID = "run_id"
        case retractedAt = "retracted_at"
        case recommendationRows = "recommendation_rows"
        case advertisers, source
    }
}

extension RunLedger {
    /// Takes back the committed day `date`, in ONE transaction: its `recommendations`,
    /// `active_advertisers` and `committed_days` row are deleted, a `retractions` row records what
    /// was removed, and ``DayWriter/daysChannel`` is notified with `"<date> retracted"` (delivered
    /// at commit), so the API reloads and stops serving it.
    ///
    /// Never races a writer: under the per-date kick lock, a run of `date` that is active and
    /// alive makes this throw ``LedgerError/runInProgress(runID:date:)`` (a stale one is abandoned,
    /// as a kick does), then the writer's per-date lock is taken. Throws
    /// ``LedgerError/dayNotCommitted(_:)`` when nothing is committed for `date`.
    public func retract(date: Day, source: DayRetraction.Source) async throws -> DayRetraction {
        let day = date.description
        let stale = staleAfter.seconds
        let (retraction, abandoned) = try await pool.transaction { connection -> (DayRetraction, [String]) in
            let abandoned = try Self.abandonStaleRuns(connection, day: day, staleSeconds: stale)
            try connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('adrecs.day'), \(SQLText.dayNumber(parameter: 1)))", [day])
            let removed = try connection.query("""
                DELETE FROM committed_days WHERE date = $1::date RETURNING run_id, recommendation_rows, advertisers
                """, [day])
            guard let row = removed.first else { throw LedgerError.dayNotCommitted(day) }
            try connection.execute("DELETE FROM recommendations WHERE date = $1::date", [day])
            try connection.execute("DELETE FROM active_advertisers WHERE date = $1::date", [day])
            let recorded = try connection.query("""
                INSERT INTO retractions (date, run_id, recommendation_rows, advertisers, source)
                VALUES ($1::date, $2, $3, $4, $5) RETURNING \(SQLText.iso("retracted_at")) AS retracted_at
                """, [
                    day, try row.decode("run_id", as: String.self), try row.decode("recommendation_rows", as: Int.self),
                    try row.decode("advertisers", as: Int.self), source.rawValue,
                ])
            try connection.notify(DayWriter.daysChannel, payload: "\(day) retracted")
            let retraction = DayRetraction(
                date: day, runID: try row.decode("run_id", as: String.self),
                retractedAt: try recorded[0].decode("retracted_at", as: String.self),
                recommendationRows: try row.decode("recommendation_rows", as: Int.self),
                advertisers: try row.decode("advertisers", as: Int.self), source: source)
            return (retraction, abandoned)
        }
        logAbandoned(abandoned, day: day)
        logger.notice("day retracted", metadata: [
            LogKeys.date: "\(day)", LogKeys.runID: "\(retraction.runID)", LogKeys.rows: "\(retraction.recommendationRows)",
            LogKeys.retractionSource: "\(source.rawValue)",
        ])
        return retraction
    }
}
