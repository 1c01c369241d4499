/// A run with its stages (ingest, models, writer), as `GET /runs/<id>` returns it.
///
/// JSON keys are snake_case (`run_id`, `created_at`, …); absent values are `null`.
public struct RunRecord: Codable, Sendable, Equatable {
    public var runID: String
    /// `YYYY-MM-DD`.
    public var date: String
    public var state: RunState
    /// ISO 8601 UTC.
    public var createdAt: String
    public var finishedAt: String?
    public var error: String?
    /// Kicked with `force`: the writer commits the day even if its volume check finds it suspicious.
    public var force: Bool
    public var stages: [StageRecord]

    public init(
        runID: String, date: String, state: RunState, createdAt: String,
        finishedAt: String? = nil, error: String? = nil, force: Bool = false, stages: [StageRecord]
    ) {
        self.runID = runID
        self.date = date
        self.state = state
        self.createdAt = createdAt
        self.finishedAt = finishedAt
        self.error = error
        self.force = force
        self.stages = stages
    }

    /// The record of `stage`, if the run has it.
    public func stage(_ stage: Stage) -> StageRecord? {
        stages.first { $0.stage == stage }
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case date, state
        case createdAt = "created_at"
        case finishedAt = "finished_at"
        case error, force, stages
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(date, forKey: .date)
        try container.encode(state, forKey: .state)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(error, forKey: .error)
        try container.encode(force, forKey: .force)
        try container.encode(stages, forKey: .stages)
    }
}

/// A run's state; raw values are `runs.state`.
public enum RunState: String, Codable, Sendable {
    case queued, running, succeeded, failed
}
