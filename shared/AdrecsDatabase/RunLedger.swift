import AdrecsConcurrency
public import AdrecsDomain
import AdrecsRuntime
public import Foundation
public import LibPQ
public import Logging

/// The run ledger: one row per run in `runs` and one per stage in `run_stages`.
///
/// Every change is one transaction. ``kick(date:)`` starts a run (refusing while one of the
/// date is active and alive), workers claim stages (`queued` → `running`), beat while working,
/// and complete or fail them; completing a stage queues the next one.
public struct RunLedger: Sendable {
    /// Channel notified with a run id when a run is kicked.
    public static let runsChannel = "adrecs_runs"

    let pool: PGPool
    /// A run whose latest activity is older than this is abandoned by the next kick of its date.
    public let staleAfter: Duration
    let logger: Logger

    public init(pool: PGPool, staleAfter: Duration = .seconds(30), logger: Logger) {
        self.pool = pool
        self.staleAfter = staleAfter
        self.logger = logger
    }

    /// Starts a run of `date` (design §Contracts 1) and notifies ``runsChannel`` with its id.
    ///
    /// A date later than tomorrow (UTC, by the database's clock) is refused with
    /// ``LedgerError/futureDate(date:latest:)``: its input cannot exist yet, and an empty day
    /// committed for it would become the latest one served.
    /// Under a per-date advisory lock: an active run of `date` whose latest activity is recent
    /// makes this throw ``LedgerError/runInProgress(runID:date:)``; an older one is marked failed
    /// (`abandoned: no progress for N s`, with its queued and running stages) first.
    /// The new run is `queued`, its ingest stage `queued`, models and writer `pending`.
    /// - Parameter force: recorded on the run; its writer commits the day even when the volume
    ///   check (``SuspiciousDay``) finds it suspicious.
    public func kick(date: Day, force: Bool = false) async throws -> RunRecord {
        let day = date.description
        let stale = staleAfter.seconds
        let runID = Self.makeRunID(date: date)
        let (record, abandoned) = try await pool.transaction { connection -> (RunRecord, [String]) in
            let bound = try connection.query("""
                SELECT $1::date > (now() AT TIME ZONE 'UTC')::date + 1 AS future,
                  \(SQLText.day("(now() AT TIME ZONE 'UTC')::date + 1")) AS latest
                """, [day])
            if let row = bound.first, try row.decode("future", as: Bool.self) {
                throw LedgerError.futureDate(date: day, latest: try row.decode("latest", as: String.self))
            }
            let abandoned = try Self.abandonStaleRuns(connection, day: day, staleSeconds: stale)
            try connection.execute(
                "INSERT INTO runs (run_id, date, state, force) VALUES ($1, $2::date, 'queued', $3)", [runID, day, force])
            try connection.execute("""
                INSERT INTO run_stages (run_id, stage, state, queued_at) VALUES
                  ($1, 'ingest', 'queued', now()), ($1, 'models', 'pending', NULL), ($1, 'writer', 'pending', NULL)
                """, [runID])
            try connection.notify(Self.runsChannel, payload: runID)
            guard let record = try Self.loadRuns(connection, filter: "r.run_id = $1", [runID]).first else {
                throw LedgerError.unknownRun(runID)
            }
            return (record, abandoned)
        }
        logAbandoned(abandoned, day: day)
        logger.info("run kicked", metadata: [LogKeys.runID: "\(runID)", LogKeys.date: "\(day)", LogKeys.force: "\(force)"])
        return record
    }

    /// Inside a transaction, takes the per-date kick lock (held to its end) and settles the active
    /// runs of `day`: one with activity in the last `staleSeconds` throws
    /// ``LedgerError/runInProgress(runID:date:)``; older ones are marked failed
    /// (`abandoned: no progress for N s`, with their queued and running stages). Returns their ids.
    static func abandonStaleRuns(_ connection: PGConnection, day: String, staleSeconds stale: Double) throws -> [String] {
        try connection.query(
            "SELECT pg_advisory_xact_lock(hashtext('adrecs.kick'), \(SQLText.dayNumber(parameter: 1)))", [day])
        let active = try connection.query("""
            SELECT run_id, EXTRACT(EPOCH FROM clock_timestamp() - GREATEST(created_at,
              (SELECT max(GREATEST(s.queued_at, s.started_at, s.heartbeat_at, s.finished_at))
               FROM run_stages s WHERE s.run_id = r.run_id)))::float8 AS idle
            FROM runs r WHERE date = $1::date AND state IN ('queued', 'running') FOR UPDATE
            """, [day])
        var abandoned: [String] = []
        for row in active {
            let activeID = try row.decode("run_id", as: String.self)
            let idle = try row.decode("idle", as: Double.self)
            guard idle >= stale else { throw LedgerError.runInProgress(runID: activeID, date: day) }
            let message = "abandoned: no progress for \(Int(idle.rounded())) s"
            try connection.execute(
                "UPDATE runs SET state = 'failed', finished_at = now(), error = $2 WHERE run_id = $1",
                [activeID, message])
            try connection.execute("""
                UPDATE run_stages SET state = 'failed', finished_at = now(), error = $2
                WHERE run_id = $1 AND state IN ('queued', 'running')
                """, [activeID, message])
            abandoned.append(activeID)
        }
        return abandoned
    }

    func logAbandoned(_ runIDs: [String], day: String) {
        for id in runIDs {
            logger.warning("abandoned stale run", metadata: [LogKeys.runID: "\(id)", LogKeys.date: "\(day)"])
        }
    }

    /// A run id: `YYYY-MM-DD` + `T` + UTC `HHMMSS` of `now` + `-` + 8 random hex digits,
    /// e.g. `2025-11-15T040001-3f9a0c1e`.
    public static func makeRunID(date: Day, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down))
        let ofDay = ((seconds % 86_400) + 86_400) % 86_400
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = two(ofDay / 3600) + two(ofDay / 60 % 60) + two(ofDay % 60)
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "\(date)T\(time)-\(String(repeating: "0", count: 8 - hex.count))\(hex)"
    }
}
