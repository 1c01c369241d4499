public import AdrecsPipeline
public import AdrecsRuntime

extension IngestError: StageError {
    public var failureCause: FailureCause { cause }
}
