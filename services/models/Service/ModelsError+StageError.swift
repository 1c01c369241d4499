public import AdrecsPipeline
public import AdrecsRuntime

extension ModelsError: StageError {
    /// Every models error is about the stage's input.
    public var failureCause: FailureCause { .input }
}
