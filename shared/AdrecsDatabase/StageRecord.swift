/// One stage of a run as the ledger holds it; times are ISO 8601 UTC (`2025-11-15T04:00:01.123Z`).
///
/// JSON keys are snake_case (`queued_at`, `s3_keys`, …); absent values are `null`.
public struct StageRecord: Codable, Sendable, Equatable {
    public var stage: Stage
    public var state: StageState
    public var queuedAt: String?
    public var startedAt: String?
    public var finishedAt: String?
    public var heartbeatAt: String?
    public var worker: String?
    public var counts: [String: Int]
    public var s3Keys: [String: String]
    public var error: String?
    /// How often the stage was claimed; above 1 after a lost worker or a released failure.
    public var attempts: Int

    public init(
        stage: Stage, state: StageState, queuedAt: String? = nil, startedAt: String? = nil,
        finishedAt: String? = nil, heartbeatAt: String? = nil, worker: String? = nil,
        counts: [String: Int] = [:], s3Keys: [String: String] = [:], error: String? = nil, attempts: Int = 0
    ) {
        self.stage = stage
        self.state = state
        self.queuedAt = queuedAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.heartbeatAt = heartbeatAt
        self.worker = worker
        self.counts = counts
        self.s3Keys = s3Keys
        self.error = error
        self.attempts = attempts
    }

    enum CodingKeys: String, CodingKey {
        case stage, state
        case queuedAt = "queued_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case heartbeatAt = "heartbeat_at"
        case worker, counts
        case s3Keys = "s3_keys"
        case error, attempts
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stage, forKey: .stage)
        try container.encode(state, forKey: .state)
        try container.encode(queuedAt, forKey: .queuedAt)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(finishedAt, forKey: .finishedAt)
        try container.encode(heartbeatAt, forKey: .heartbeatAt)
        try container.encode(worker, forKey: .worker)
        try container.encode(counts, forKey: .counts)
        try container.encode(s3Keys, forKey: .s3Keys)
        try container.encode(error, forKey: .error)
        try container.encode(attempts, forKey: .attempts)
    }
}
