import AdrecsConcurrency
import AdrecsDomain
import AdrecsRuntime
import Foundation
import LibPQ
import Logging

extension RunLedger {
    /// Claims the oldest claimable queued `stage` of an active run (`FOR UPDATE SKIP LOCKED`, so
    /// concurrent claimers never get the same run): the stage becomes `running` with `worker` and
    /// its attempt counter goes up, the run becomes `running`.
    ///
    /// An ingest stage is claimable as soon as it is queued. A models or writer stage is handed over
    /// by a ZeroMQ message first, so here it is claimable only with a recorded hand-over and once
    /// that message had `redeliverAfter` to arrive (its message was lost, or no worker was up to
    /// take it), or at once when it was queued again after a lost attempt.
    public func claimNext(stage: Stage, worker: String, redeliverAfter: Duration = .zero) async throws -> RunClaim? {
        let claim = try await pool.transaction { connection -> RunClaim? in
            let claimed = try connection.query("""
                WITH next AS (
                  SELECT s.run_id FROM run_stages s JOIN runs r USING (run_id)
                  WHERE s.stage = $1 AND s.state = 'queued' AND r.state IN ('queued', 'running')
                    AND ($1 = 'ingest' OR (s.handover IS NOT NULL
                      AND (s.attempts > 0 OR s.queued_at <= clock_timestamp() - make_interval(secs => $3))))
                  ORDER BY s.queued_at, s.run_id LIMIT 1
                  FOR UPDATE OF s SKIP LOCKED)
                UPDATE run_stages s SET state = 'running', started_at = now(), heartbeat_at = now(), worker = $2,
                  attempts = s.attempts + 1
                FROM next WHERE s.run_id = next.run_id AND s.stage = $1
                RETURNING s.run_id, s.attempts, s.handover
                """, [stage.rawValue, worker, redeliverAfter.seconds])
            guard let row = claimed.first else { return nil }
            return try Self.markRunRunning(connection, claimed: row, stage: stage)
        }
        if let claim { log("stage claimed", claim.runID, stage, attempt: claim.attempt) }
        return claim
    }

    /// Claims `stage` of `runID` if it is `queued` and the run still active; `nil` otherwise
    /// (a duplicate message, or a run that failed or was abandoned).
    public func claim(runID: String, stage: Stage, worker: String) async throws -> RunClaim? {
        let claim = try await pool.transaction { connection -> RunClaim? in
            let claimed = try connection.query("""
                UPDATE run_stages s SET state = 'running', started_at = now(), heartbeat_at = now(), worker = $3,
                  attempts = s.attempts + 1
                WHERE s.run_id = $1 AND s.stage = $2 AND s.state = 'queued'
                  AND EXISTS (SELECT 1 FROM runs r WHERE r.run_id = s.run_id AND r.state IN ('queued', 'running'))
                RETURNING s.run_id, s.attempts, s.handover
                """, [runID, stage.rawValue, worker])
            guard let row = claimed.first else { return nil }
            return try Self.markRunRunning(connection, claimed: row, stage: stage)
        }
        if let claim { log("stage claimed", runID, stage, attempt: claim.attempt) }
        return claim
    }

    /// Records that `stage` of `runID` is still being worked on (by claim `attempt`, when given).
    /// Returns `false` when it is no longer `running` under that claim (failed, abandoned, or
    /// queued again after its worker was presumed lost): the worker should stop.
    @discardableResult
    public func heartbeat(runID: String, stage: Stage, attempt: Int? = nil) async throws -> Bool {
        try await pool.execute("""
            UPDATE run_stages SET heartbeat_at = now()
            WHERE run_id = $1 AND stage = $2 AND state = 'running' AND ($3::int IS NULL OR attempts = $3)
            """, [runID, stage.rawValue, attempt]) == 1
    }

    /// In one transaction: `stage` becomes `succeeded` with its counts and S3 keys, and `next`
    /// (if any) becomes `queued` with `handover`, the message that hands it the work; with no
    /// `next`, the run becomes `succeeded`.
    /// Throws ``LedgerError/stageNotRunning(runID:stage:)`` (changing nothing) unless `stage` is
    /// `running` (under claim `attempt`, when given).
    public func completeStage(
        runID: String, stage: Stage, attempt: Int? = nil, counts: [String: Int], s3Keys: [String: String],
        next: Stage?, handover: String? = nil
    ) async throws {
        let countsJSON = try Self.json(counts)
        let keysJSON = try Self.json(s3Keys)
        try await pool.transaction { connection in
            let done = try connection.execute("""
                UPDATE run_stages SET state = 'succeeded', finished_at = now(), heartbeat_at = now(),
                  counts = $3::jsonb, s3_keys = $4::jsonb, error = NULL
                WHERE run_id = $1 AND stage = $2 AND state = 'running' AND ($5::int IS NULL OR attempts = $5)
                """, [runID, stage.rawValue, countsJSON, keysJSON, attempt])
            guard done == 1 else { throw LedgerError.stageNotRunning(runID: runID, stage: stage) }
            if let next {
                try connection.execute("""
                    UPDATE run_stages SET state = 'queued', queued_at = now(), handover = $3
                    WHERE run_id = $1 AND stage = $2 AND state = 'pending'
                    """, [runID, next.rawValue, handover])
            } else {
                try connection.execute("""
                    UPDATE runs SET state = 'succeeded', finished_at = now()
                    WHERE run_id = $1 AND state IN ('queued', 'running')
                    """, [runID])
            }
        }
        log("stage completed", runID, stage, attempt: attempt)
    }

    /// Fails `stage` (with `error`) and its run (with `"<stage>: <error>"`, and `finished_at`).
    /// Later stages stay as they are (`pending`). A stage or run already finished keeps its
    /// state and first error; with `attempt`, a stage claimed again since changes nothing.
    /// Throws ``LedgerError/unknownRun(_:)`` for an unknown run.
    public func failStage(runID: String, stage: Stage, attempt: Int? = nil, error: String) async throws {
        let failed = try await pool.transaction { connection -> Bool in
            guard !(try connection.query("SELECT 1 FROM runs WHERE run_id = $1 FOR UPDATE", [runID])).isEmpty else {
                throw LedgerError.unknownRun(runID)
            }
            let changed = try connection.execute("""
                UPDATE run_stages SET state = 'failed', finished_at = now(), error = $3
                WHERE run_id = $1 AND stage = $2 AND state IN ('pending', 'queued', 'running')
                  AND ($4::int IS NULL OR (state = 'running' AND attempts = $4))
                """, [runID, stage.rawValue, error, attempt])
            guard changed == 1 || attempt == nil else { return false }
            try connection.execute("""
                UPDATE runs SET state = 'failed', finished_at = now(), error = $2
                WHERE run_id = $1 AND state IN ('queued', 'running')
                """, [runID, "\(stage.rawValue): \(error)"])
            return true
        }
        guard failed else {
            logger.notice("stage failure not recorded: claimed again since", metadata: [
                LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)", LogKeys.error: "\(error)",
            ])
            return
        }
        logger.warning("stage failed", metadata: [
            LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)", LogKeys.error: "\(error)",
        ])
    }

    /// Sets the run `running` and returns the claim of the row `UPDATE … RETURNING run_id, attempts, handover` gave.
    static func markRunRunning(_ connection: PGConnection, claimed row: PGRow, stage: Stage) throws -> RunClaim {
        let runID = try row.decode("run_id", as: String.self)
        let run = try connection.query("""
            UPDATE runs SET state = 'running' WHERE run_id = $1 RETURNING \(SQLText.day("date")) AS date
            """, [runID])
        guard let dateRow = run.first, let date = Day(try dateRow.decode("date", as: String.self)) else {
            throw LedgerError.unknownRun(runID)
        }
        return RunClaim(
            runID: runID, date: date, stage: stage, attempt: try row.decode("attempts", as: Int.self),
            handover: try row.decode("handover"))
    }

    /// A JSON object with sorted keys, for a `jsonb` parameter.
    static func json<Value: Encodable>(_ value: [String: Value]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func log(_ message: Logger.Message, _ runID: String, _ stage: Stage, attempt: Int? = nil) {
        var metadata: Logger.Metadata = [LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)"]
        if let attempt { metadata[LogKeys.attempt] = "\(attempt)" }
        logger.info(message, metadata: metadata)
    }
}
