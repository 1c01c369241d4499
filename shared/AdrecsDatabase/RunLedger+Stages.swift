import AdrecsDomain
import AdrecsRuntime
import Foundation
import LibPQ
import Logging

extension RunLedger {
    /// Claims the oldest queued ingest stage (`FOR UPDATE SKIP LOCKED`, so concurrent claimers
    /// never get the same run): the stage becomes `running` with `worker`, the run `running`.
    public func claimNextIngest(worker: String) async throws -> RunClaim? {
        let claim = try await pool.transaction { connection -> RunClaim? in
            let claimed = try connection.query("""
                WITH next AS (
                  SELECT s.run_id FROM run_stages s JOIN runs r USING (run_id)
                  WHERE s.stage = 'ingest' AND s.state = 'queued' AND r.state IN ('queued', 'running')
                  ORDER BY s.queued_at, s.run_id LIMIT 1
                  FOR UPDATE OF s SKIP LOCKED)
                UPDATE run_stages s SET state = 'running', started_at = now(), heartbeat_at = now(), worker = $1
                FROM next WHERE s.run_id = next.run_id AND s.stage = 'ingest'
                RETURNING s.run_id
                """, [worker])
            guard let row = claimed.first else { return nil }
            let runID = try row.decode("run_id", as: String.self)
            return try Self.markRunRunning(connection, runID: runID, stage: .ingest)
        }
        if let claim { log("stage claimed", claim.runID, .ingest) }
        return claim
    }

    /// Claims `stage` of `runID` if it is `queued` and the run still active; `nil` otherwise
    /// (a duplicate message, or a run that failed or was abandoned).
    public func claim(runID: String, stage: Stage, worker: String) async throws -> RunClaim? {
        let claim = try await pool.transaction { connection -> RunClaim? in
            let claimed = try connection.query("""
                UPDATE run_stages s SET state = 'running', started_at = now(), heartbeat_at = now(), worker = $3
                WHERE s.run_id = $1 AND s.stage = $2 AND s.state = 'queued'
                  AND EXISTS (SELECT 1 FROM runs r WHERE r.run_id = s.run_id AND r.state IN ('queued', 'running'))
                RETURNING s.run_id
                """, [runID, stage.rawValue, worker])
            guard !claimed.isEmpty else { return nil }
            return try Self.markRunRunning(connection, runID: runID, stage: stage)
        }
        if claim != nil { log("stage claimed", runID, stage) }
        return claim
    }

    /// Records that `stage` of `runID` is still being worked on. Returns `false` when the stage
    /// is no longer `running` (abandoned or failed meanwhile): the worker should stop.
    @discardableResult
    public func heartbeat(runID: String, stage: Stage) async throws -> Bool {
        try await pool.execute("""
            UPDATE run_stages SET heartbeat_at = now() WHERE run_id = $1 AND stage = $2 AND state = 'running'
            """, [runID, stage.rawValue]) == 1
    }

    /// In one transaction: `stage` becomes `succeeded` with its counts and S3 keys, and `next`
    /// (if any) becomes `queued`; with no `next`, the run becomes `succeeded`.
    /// Throws ``LedgerError/stageNotRunning(runID:stage:)`` (changing nothing) unless `stage` is `running`.
    public func completeStage(
        runID: String, stage: Stage, counts: [String: Int], s3Keys: [String: String], next: Stage?
    ) async throws {
        let countsJSON = try Self.json(counts)
        let keysJSON = try Self.json(s3Keys)
        try await pool.transaction { connection in
            let done = try connection.execute("""
                UPDATE run_stages SET state = 'succeeded', finished_at = now(), heartbeat_at = now(),
                  counts = $3::jsonb, s3_keys = $4::jsonb, error = NULL
                WHERE run_id = $1 AND stage = $2 AND state = 'running'
                """, [runID, stage.rawValue, countsJSON, keysJSON])
            guard done == 1 else { throw LedgerError.stageNotRunning(runID: runID, stage: stage) }
            if let next {
                try connection.execute("""
                    UPDATE run_stages SET state = 'queued', queued_at = now()
                    WHERE run_id = $1 AND stage = $2 AND state = 'pending'
                    """, [runID, next.rawValue])
            } else {
                try connection.execute("""
                    UPDATE runs SET state = 'succeeded', finished_at = now()
                    WHERE run_id = $1 AND state IN ('queued', 'running')
                    """, [runID])
            }
        }
        log("stage completed", runID, stage)
    }

    /// Fails `stage` (with `error`) and its run (with `"<stage>: <error>"`, and `finished_at`).
    /// Later stages stay as they are (`pending`). A stage or run already finished keeps its
    /// state and first error. Throws ``LedgerError/unknownRun(_:)`` for an unknown run.
    public func failStage(runID: String, stage: Stage, error: String) async throws {
        try await pool.transaction { connection in
            guard !(try connection.query("SELECT 1 FROM runs WHERE run_id = $1 FOR UPDATE", [runID])).isEmpty else {
                throw LedgerError.unknownRun(runID)
            }
            try connection.execute("""
                UPDATE run_stages SET state = 'failed', finished_at = now(), error = $3
                WHERE run_id = $1 AND stage = $2 AND state IN ('pending', 'queued', 'running')
                """, [runID, stage.rawValue, error])
            try connection.execute("""
                UPDATE runs SET state = 'failed', finished_at = now(), error = $2
                WHERE run_id = $1 AND state IN ('queued', 'running')
                """, [runID, "\(stage.rawValue): \(error)"])
        }
        logger.warning("stage failed", metadata: [
            LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)", LogKeys.error: "\(error)",
        ])
    }

    /// Sets the run `running` and returns the claim with the run's date.
    static func markRunRunning(_ connection: PGConnection, runID: String, stage: Stage) throws -> RunClaim {
        let run = try connection.query("""
            UPDATE runs SET state = 'running' WHERE run_id = $1 RETURNING \(SQLText.day("date")) AS date
            """, [runID])
        guard let row = run.first, let date = Day(try row.decode("date", as: String.self)) else {
            throw LedgerError.unknownRun(runID)
        }
        return RunClaim(runID: runID, date: date, stage: stage)
    }

    /// A JSON object with sorted keys, for a `jsonb` parameter.
    static func json<Value: Encodable>(_ value: [String: Value]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    private func log(_ message: Logger.Message, _ runID: String, _ stage: Stage) {
        logger.info(message, metadata: [LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)"])
    }
}
