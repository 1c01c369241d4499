/// The errors of AdrecsDomain.
public enum DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A results CSV line that does not parse; `line` is 1-based.
    case invalidResultsCSV(line: Int, reason: String)
    /// Text given as a date (a CLI option, a request) that is not a calendar date `YYYY-MM-DD`.
    case invalidDate(String)

    public var description: String {
        switch self {
        case .invalidResultsCSV(let line, let reason): "invalid results CSV at line \(line): \(reason)"
        case .invalidDate(let text): "not a calendar date YYYY-MM-DD: '\(text.prefix(40))'"
        }
    }
}
