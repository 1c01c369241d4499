import AdrecsDatabase
import AdrecsRuntime
import Logging

/// Keeps a claimed stage's `heartbeat_at` fresh while its work runs, so a kick can tell a live run
/// from an abandoned one.
enum StageHeartbeat {
    /// Runs `body`, calling `RunLedger.heartbeat` every `interval` until it returns or throws.
    /// A failed heartbeat is logged, never fatal: the work itself decides the stage's fate.
    static func beating<T: Sendable>(
        ledger: RunLedger, runID: String, stage: Stage, every interval: Duration, logger: Logger,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: interval)
                        try await ledger.heartbeat(runID: runID, stage: stage)
                    } catch is CancellationError {
                        return
                    } catch {
                        logger.warning("Heartbeat failed", metadata: [LogKeys.error: "\(error)"])
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }
}
