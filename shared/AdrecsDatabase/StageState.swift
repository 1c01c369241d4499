/// A stage's state; raw values are `run_stages.state`.
public enum StageState: String, Codable, Sendable {
    case pending, queued, running, succeeded, failed
}
