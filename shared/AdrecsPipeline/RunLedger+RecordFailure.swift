public import AdrecsDatabase
import AdrecsRuntime
public import Logging

extension RunLedger {
    /// Marks `stage` of `runID` failed with `error`, from a task of its own, so that it is
    /// recorded even while the caller is cancelled (a worker shutting down). A ledger that cannot
    /// be written is logged, never thrown: a later kick recovers the run as stale.
    /// - Parameter attempt: runs the write; the writer passes its PostgreSQL retry here.
    public func recordFailure(
        runID: String, stage: Stage, error: String, logger: Logger,
        attempt: @escaping @Sendable (_ write: @Sendable () async throws -> Void) async throws -> Void = { try await $0() }
    ) async {
        await Task {
            do {
                try await attempt { try await self.failStage(runID: runID, stage: stage, error: error) }
            } catch {
                logger.error("Recording the failure in the ledger failed", metadata: [
                    LogKeys.runID: "\(runID)", LogKeys.stage: "\(stage.rawValue)", LogKeys.error: "\(FailureDescription(error).text)",
                ])
            }
        }.value
    }
}
