public import AdrecsPipeline
public import AdrecsRuntime

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
