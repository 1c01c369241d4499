public import AdrecsDatabase

/// The run ledger as ``StageRuntime`` uses it: ``RunLedger`` in the services, an in-memory fake
/// in unit tests of the runtime's logic.
public protocol StageLedger: Sendable {
    func claim(runID: String, stage: Stage, worker: String) async throws -> RunClaim?
    func claimNext(stage: Stage, worker: String, redeliverAfter: Duration) async throws -> RunClaim?
    func heartbeat(runID: String, stage: Stage, attempt: Int?) async throws -> Bool
    func completeStage(
        runID: String, stage: Stage, attempt: Int?, counts: [String: Int], s3Keys: [String: String],
        next: Stage?, handover: String?
    ) async throws
    func failStage(runID: String, stage: Stage, attempt: Int?, error: String) async throws
    func releaseStage(runID: String, stage: Stage, attempt: Int, cause: String, maxAttempts: Int) async throws -> RunLedger.Release?
    func releaseLostStages(staleAfter: Duration, maxAttempts: Int) async throws -> [RunLedger.Release]
}

extension RunLedger: StageLedger {}
