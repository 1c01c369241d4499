public import AdrecsRuntime

/// The error type of a stage service (models, writer): how a stage the ledger no longer lists as
/// `running` is reported, and the metrics' cause of each of its errors.
public protocol StageError: Error, Sendable, CustomStringConvertible {
    /// The ledger no longer lists the stage as `running` (a later kick abandoned the run).
    static func stageNoLongerRunning(runID: String, stage: String) -> Self

    /// The `cause` label for `adrecs_stage_failures_total`.
    var failureCause: FailureCause { get }
}
