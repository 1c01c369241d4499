import AdrecsPipeline

/// The errors of the writer service.
public enum WriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A message named a date that is not a calendar date `YYYY-MM-DD`.
    case invalidDate(String)
    /// The ledger no longer lists the stage as `running` (a later kick abandoned the run).
    case stageNoLongerRunning(runID: String, stage: String)
    /// The message that handed the stage its work is missing or unreadable.
    case invalidHandover(String)
    /// PostgreSQL stayed unreachable for the whole retry budget; `last` is the final error.
    case databaseUnavailable(seconds: Int, attempts: Int, last: String)

    public var description: String {
        switch self {
        case .invalidDate(let text):
            "invalid date '\(text)' (expected YYYY-MM-DD)"
        case .stageNoLongerRunning(let runID, let stage):
            Self.noLongerRunningText(runID: runID, stage: stage)
        case .invalidHandover(let text):
            text
        case .databaseUnavailable(let seconds, let attempts, let last):
            "PostgreSQL unreachable: gave up after \(attempts) attempts in \(seconds) s: \(last)"
        }
    }
}
