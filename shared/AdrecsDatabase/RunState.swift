/// A run's state; raw values are `runs.state`.
public enum RunState: String, Codable, Sendable {
    case queued, running, succeeded, failed
}
