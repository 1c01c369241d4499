import AdrecsConcurrency
import AdrecsRuntime
import Foundation
import LibPQ
import Logging

extension RunLedger {
    /// A claimed stage given up on: its worker was presumed lost, or gave the claim back after a
    /// failure that may pass (a dependency briefly down).
    public struct Release: Sendable, Equatable {
        public var runID: String
        public var stage: Stage
        /// Claims so far, this one included.
        public var attempts: Int
        /// Why: `worker lost: no heartbeat for N s`, or the released failure's text.
        public var cause: String
        /// `true`: the stage is `queued` again; `false`: the attempts are spent and the run failed.
        public var requeued: Bool

        public init(runID: String, stage: Stage, attempts: Int, cause: String, requeued: Bool) {
            self.runID = runID
            self.stage = stage
            self.attempts = attempts
            self.cause = cause
            self.requeued = requeued
        }
    }

    /// The supervisor's repair of lost workers: every `running` stage of an active run whose
    /// heartbeat is older than `staleAfter` goes back to `queued` (no longer claimable by its old
    /// worker: its heartbeats, completion and failure are refused) with the cause
    /// `worker lost: no heartbeat for N s` in its `error`, or, once it was claimed `maxAttempts`
    /// times, fails the run with that cause.
    ///
    /// Safe with a supervisor in every replica of every stage: the first to take the ledger's
    /// supervisor lock (one per schema) acts, the others return `[]` at once.
    public func releaseLostStages(staleAfter: Duration, maxAttempts: Int) async throws -> [Release] {
        let releases = try await pool.transaction { connection -> [Release] in
            let locked = try connection.query("SELECT pg_try_advisory_xact_lock(hashtext('adrecs.supervisor'), hashtext(current_schema())) AS locked")
            guard try locked.first?.decode("locked", as: Bool.self) == true else { return [] }
            let lost = try connection.query("""
                SELECT s.run_id, s.stage, s.attempts,
                  EXTRACT(EPOCH FROM clock_timestamp() - s.heartbeat_at)::float8 AS idle
                FROM run_stages s JOIN runs r USING (run_id)
                WHERE s.state = 'running' AND r.state IN ('queued', 'running')
                  AND s.heartbeat_at < clock_timestamp() - make_interval(secs => $1)
                ORDER BY s.heartbeat_at
                FOR UPDATE OF s SKIP LOCKED
                """, [staleAfter.seconds])
            var releases: [Release] = []
            for row in lost {
                let idle = try row.decode("idle", as: Double.self)
                releases.append(try Self.release(
                    connection, runID: try row.decode("run_id", as: String.self), stage: try Self.decodeEnum(row, "stage"),
                    attempt: try row.decode("attempts", as: Int.self),
                    cause: "worker lost: no heartbeat for \(Int(idle.rounded())) s", maxAttempts: maxAttempts))
            }
            return releases
        }
        releases.forEach(log)
        return releases
    }

    /// Gives back claim `attempt` of `stage` after a failure that may pass (PostgreSQL or S3
    /// briefly unreachable): the stage is `queued` again with `cause` as its `error`, to be claimed
    /// at once by any worker, or, once it was claimed `maxAttempts` times, the run fails with
    /// `cause`. `nil` when the stage is no longer running under that claim (nothing changes).
    public func releaseStage(runID: String, stage: Stage, attempt: Int, cause: String, maxAttempts: Int) async throws -> Release? {
        let release = try await pool.transaction { connection -> Release? in
            let current = try connection.query("""
                SELECT 1 FROM run_stages s JOIN runs r USING (run_id)
                WHERE s.run_id = $1 AND s.stage = $2 AND s.state = 'running' AND s.attempts = $3
                  AND r.state IN ('queued', 'running')
                FOR UPDATE OF s, r
                """, [runID, stage.rawValue, attempt])
            guard !current.isEmpty else { return nil }
            return try Self.release(connection, runID: runID, stage: stage, attempt: attempt, cause: cause, maxAttempts: maxAttempts)
        }
        release.map(log)
        return release
    }

    private static func release(
        _ connection: PGConnection, runID: String, stage: Stage, attempt: Int, cause: String, maxAttempts: Int
    ) throws -> Release {
        guard attempt < maxAttempts else {
            let text = "\(cause) (attempt \(attempt) of \(maxAttempts))"
            try connection.execute("""
                UPDATE run_stages SET state = 'failed', finished_at = now(), error = $3 WHERE run_id = $1 AND stage = $2
                """, [runID, stage.rawValue, text])
            try connection.execute("""
                UPDATE runs SET state = 'failed', finished_at = now(), error = $2
                WHERE run_id = $1 AND state IN ('queued', 'running')
                """, [runID, "\(stage.rawValue): \(text)"])
            return Release(runID: runID, stage: stage, attempts: attempt, cause: cause, requeued: false)
        }
        try connection.execute("""
            UPDATE run_stages SET state = 'queued', queued_at = now(), started_at = NULL, heartbeat_at = NULL,
              worker = NULL, error = $3
            WHERE run_id = $1 AND stage = $2
            """, [runID, stage.rawValue, cause])
        return Release(runID: runID, stage: stage, attempts: attempt, cause: cause, requeued: true)
    }

    private func log(_ release: Release) {
        let metadata: Logger.Metadata = [
            LogKeys.runID: "\(release.runID)", LogKeys.stage: "\(release.stage.rawValue)",
            LogKeys.attempt: "\(release.attempts)", LogKeys.error: "\(release.cause)",
        ]
        if release.requeued {
            logger.warning("stage queued again", metadata: metadata)
        } else {
            logger.error("stage attempts spent: run failed", metadata: metadata)
        }
    }
}
