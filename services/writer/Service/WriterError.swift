public import AdrecsPipeline
public import AdrecsRuntime

/// The errors of the writer service.
public enum WriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// PostgreSQL stayed unreachable for the whole retry budget; `last` is the final error.
    case databaseUnavailable(seconds: Int, attempts: Int, last: String)

    public var description: String {
        switch self {
        case .databaseUnavailable(let seconds, let attempts, let last):
            "PostgreSQL unreachable: gave up after \(attempts) attempts in \(seconds) s: \(last)"
        }
    }
}

extension WriterError: StageError {
    /// An unreachable database is a database failure; the other writer errors are about the input.
    public var failureCause: FailureCause {
        if case .databaseUnavailable = self { .database } else { .input }
    }

    /// PostgreSQL unreachable for the whole retry budget: another attempt may find it back.
    public var isTransient: Bool {
        if case .databaseUnavailable = self { true } else { false }
    }
}
