public import AdrecsRuntime

/// The error type of a stage service (ingest, models, writer): how a stage the ledger no longer
/// lists as `running` is reported, and the metrics' cause of each of its errors.
public protocol StageError: Error, Sendable, CustomStringConvertible {
    /// The ledger no longer lists the stage as `running` (a later kick abandoned the run).
    static func stageNoLongerRunning(runID: String, stage: String) -> Self

    /// The `cause` label for `adrecs_stage_failures_total`.
    var failureCause: FailureCause { get }

    /// The error may pass by itself (a dependency unreachable for longer than the service's own
    /// retries): the stage is worth another attempt. Default `false`.
    var isTransient: Bool { get }
}

extension StageError {
    public var isTransient: Bool { false }

    /// The description of ``stageNoLongerRunning(runID:stage:)``, the same in every stage.
    public static func noLongerRunningText(runID: String, stage: String) -> String {
        "stage \(stage) of run \(runID) is no longer running in the ledger (abandoned by a later kick); work stopped"
    }
}
