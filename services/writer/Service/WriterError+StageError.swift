public import AdrecsPipeline
public import AdrecsRuntime

extension WriterError: StageError {
    /// An unreachable database is a database failure; the other writer errors are about the input.
    public var failureCause: FailureCause {
        if case .databaseUnavailable = self { .database } else { .input }
    }
}
