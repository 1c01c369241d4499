public import AdrecsDomain
import Foundation
import LibPQ

extension RunLedger {
    /// The run with this id, with its stages; `nil` if there is none.
    public func run(id: String) async throws -> RunRecord? {
        try await pool.withConnection { connection in
            try Self.loadRuns(connection, filter: "r.run_id = $1", [id]).first
        }
    }

    /// The runs of `date`, newest first (at most `limit` when given).
    public func runs(date: Day, limit: Int? = nil) async throws -> [RunRecord] {
        try await pool.withConnection { connection in
            try Self.loadRuns(
                connection,
                filter: "r.run_id IN (SELECT run_id FROM runs WHERE date = $1::date ORDER BY created_at DESC, run_id DESC LIMIT $2)",
                [date.description, limit])
        }
    }

    /// Runs matching `filter` (SQL over alias `r`, parameters from `$1`), newest first, each
    /// with its stages in order.
    static func loadRuns(_ connection: PGConnection, filter: String, _ parameters: [(any PGEncodable)?]) throws -> [RunRecord] {
        let rows = try connection.query("""
            SELECT r.run_id, \(SQLText.day("r.date")) AS date, r.state AS run_state,
              \(SQLText.iso("r.created_at")) AS created_at, \(SQLText.iso("r.finished_at")) AS run_finished_at,
              r.error AS run_error, r.force, s.stage, s.state,
              \(SQLText.iso("s.queued_at")) AS queued_at, \(SQLText.iso("s.started_at")) AS started_at,
              \(SQLText.iso("s.finished_at")) AS finished_at, \(SQLText.iso("s.heartbeat_at")) AS heartbeat_at,
              s.worker, s.counts::text AS counts, s.s3_keys::text AS s3_keys, s.error, s.attempts
            FROM runs r JOIN run_stages s USING (run_id)
            WHERE \(filter)
            ORDER BY r.created_at DESC, r.run_id DESC, array_position(ARRAY['ingest', 'models', 'writer'], s.stage)
            """, parameters)
        let decoder = JSONDecoder()
        var runs: [RunRecord] = []
        for row in rows {
            let runID = try row.decode("run_id", as: String.self)
            let stage = StageRecord(
                stage: try decodeEnum(row, "stage"),
                state: try decodeEnum(row, "state"),
                queuedAt: try row.decode("queued_at"),
                startedAt: try row.decode("started_at"),
                finishedAt: try row.decode("finished_at"),
                heartbeatAt: try row.decode("heartbeat_at"),
                worker: try row.decode("worker"),
                counts: try decoder.decode([String: Int].self, from: Data(try row.decode("counts", as: String.self).utf8)),
                s3Keys: try decoder.decode([String: String].self, from: Data(try row.decode("s3_keys", as: String.self).utf8)),
                error: try row.decode("error"),
                attempts: try row.decode("attempts", as: Int.self)
            )
            if runs.last?.runID == runID {
                runs[runs.count - 1].stages.append(stage)
            } else {
                runs.append(RunRecord(
                    runID: runID,
                    date: try row.decode("date"),
                    state: try decodeEnum(row, "run_state"),
                    createdAt: try row.decode("created_at"),
                    finishedAt: try row.decode("run_finished_at"),
                    error: try row.decode("run_error"),
                    force: try row.decode("force", as: Bool.self),
                    stages: [stage]
                ))
            }
        }
        return runs
    }

    /// A text column as a `RawRepresentable` enum; an unknown value is a decode error.
    static func decodeEnum<T: RawRepresentable>(_ row: PGRow, _ column: String) throws -> T where T.RawValue == String {
        let raw = try row.decode(column, as: String.self)
        guard let value = T(rawValue: raw) else {
            throw PGError(.decode, message: "column \"\(column)\" has unknown value \"\(raw)\"")
        }
        return value
    }
}
