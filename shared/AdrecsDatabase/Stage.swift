/// The three stages of a run, in order; raw values are `run_stages.stage`.
public enum Stage: String, Codable, Sendable, CaseIterable {
    case ingest, models, writer

    /// The stage after this one, or `nil` for the writer.
    public var next: Stage? {
        switch self {
        case .ingest: .models
        case .models: .writer
        case .writer: nil
        }
    }
}

/// A stage's state; raw values are `run_stages.state`.
public enum StageState: String, Codable, Sendable {
    case pending, queued, running, succeeded, failed
}
