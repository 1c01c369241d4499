public import AdrecsDatabase
public import Logging

/// How every stage runs its claimed unit of work: beating for it in the ledger and bounded on shutdown.
public enum StageWork {
    /// Runs `body` under ``StageHeartbeat/beating(ledger:runID:stage:every:logger:failure:file:function:line:_:)``
    /// (a refused heartbeat cancels it and throws `Failure.stageNoLongerRunning`), within
    /// ``StageShutdown/abandoning(after:_:)`` (still going `abandonAfter` into a graceful shutdown,
    /// it is cancelled and `CancellationError` is thrown).
    public static func run<T: Sendable, Failure: StageError>(
        ledger: RunLedger, runID: String, stage: Stage, heartbeat: Duration, abandonAfter: Duration, logger: Logger,
        failure: Failure.Type, file: String = #fileID, function: String = #function, line: UInt = #line,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await StageShutdown.abandoning(after: abandonAfter) {
            try await StageHeartbeat.beating(
                ledger: ledger, runID: runID, stage: stage, every: heartbeat, logger: logger, failure: failure,
                file: file, function: function, line: line, body)
        }
    }
}
