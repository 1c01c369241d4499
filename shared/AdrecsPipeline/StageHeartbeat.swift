public import AdrecsDatabase
import AdrecsRuntime
public import Logging

/// Keeps a claimed stage's `heartbeat_at` fresh while its work runs, so a kick can tell a live run
/// from an abandoned one.
public enum StageHeartbeat {
    /// Runs `body`, calling `RunLedger.heartbeat` every `interval` until it returns or throws.
    ///
    /// A heartbeat that cannot reach the ledger is logged, never fatal. A heartbeat the ledger
    /// refuses (the stage is no longer `running`: a later kick abandoned the run) cancels `body`
    /// and throws `Failure.stageNoLongerRunning(runID:stage:)`. Log entries carry the caller's
    /// module, file and line.
    public static func beating<T: Sendable, Failure: StageError>(
        ledger: RunLedger, runID: String, stage: Stage, every interval: Duration, logger: Logger,
        failure: Failure.Type, file: String = #fileID, function: String = #function, line: UInt = #line,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await Task.sleep(for: interval)
                        if try await !ledger.heartbeat(runID: runID, stage: stage) {
                            throw Failure.stageNoLongerRunning(runID: runID, stage: stage.rawValue)
                        }
                    } catch is CancellationError {
                        return nil
                    } catch let error as Failure {
                        throw error
                    } catch where Task.isCancelled {
                        // The work ended while a heartbeat ran: the pool cancelled its statement.
                        return nil
                    } catch {
                        logger.warning("Heartbeat failed", metadata: [LogKeys.error: "\(error)"], file: file, function: function, line: line)
                    }
                }
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let value = result { return value }
            }
            throw CancellationError()
        }
    }
}
