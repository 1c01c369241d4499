public import AdrecsRuntime
public import Logging

extension FailureDescription {
    /// Logs and counts a stage whose work threw `error` after `elapsed`, and returns the ledger's
    /// text for it: `abandoned: service shutting down` when the task is cancelled or the work was
    /// abandoned (`CancellationError`), else the
    /// error's description (its cause counted in `adrecs_stage_failures_total`). The log entries
    /// carry the caller's module, file and line.
    public static func record(
        _ error: any Error, elapsed: Duration, metrics: StageMetrics, logger: Logger,
        file: String = #fileID, function: String = #function, line: UInt = #line
    ) -> String {
        if Task.isCancelled || error is CancellationError {
            logger.warning("Stage abandoned: service shutting down", file: file, function: function, line: line)
            metrics.recordRun(.abandoned, duration: elapsed)
            return "abandoned: service shutting down"
        }
        let failure = FailureDescription(error)
        logger.error("Stage failed", metadata: [LogKeys.error: "\(failure.text)"], file: file, function: function, line: line)
        metrics.recordFailure(failure.cause)
        metrics.recordRun(.failed, duration: elapsed)
        return failure.text
    }
}
