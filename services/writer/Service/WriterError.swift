import AdrecsPipeline

/// The errors of the writer service.
public enum WriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A message named a date that is not a calendar date `YYYY-MM-DD`.
    case invalidDate(String)
    /// PostgreSQL stayed unreachable for the whole retry budget; `last` is the final error.
    case databaseUnavailable(seconds: Int, attempts: Int, last: String)

    public var description: String {
        switch self {
        case .invalidDate(let text):
            "invalid date '\(text)' (expected YYYY-MM-DD)"
        case .databaseUnavailable(let seconds, let attempts, let last):
            "PostgreSQL unreachable: gave up after \(attempts) attempts in \(seconds) s: \(last)"
        }
    }
}
