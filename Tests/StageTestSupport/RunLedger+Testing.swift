public import AdrecsDatabase
public import AdrecsDomain
import AdrecsTestSupport

extension RunLedger {
    /// Kicks a run of `day` and completes the stages before `stage`, as the earlier stages would,
    /// so that `stage` is queued. Returns the run id.
    public func queue(_ day: Day, at stage: Stage) async throws -> String {
        let run = try await kick(date: day)
        var current = Stage.ingest
        while current != stage, let next = current.next {
            guard try await claim(runID: run.runID, stage: current, worker: "\(current.rawValue)-test") != nil else {
                throw TestSetupError("could not claim stage \(current.rawValue) of run \(run.runID)")
            }
            try await completeStage(runID: run.runID, stage: current, counts: [:], s3Keys: [:], next: next)
            current = next
        }
        return run.runID
    }

    /// Polls until `condition` holds for the run; throws naming the run's last state after `timeout`.
    public func waitForRun(
        _ runID: String, timeout: Duration = .seconds(30), until condition: (RunRecord) -> Bool
    ) async throws -> RunRecord {
        let deadline = ContinuousClock.now + timeout
        while true {
            guard let record = try await run(id: runID) else { throw TestSetupError("run \(runID) is not in the ledger") }
            if condition(record) { return record }
            guard ContinuousClock.now < deadline else {
                throw TestSetupError("run \(runID) did not reach the expected state within \(timeout): \(record)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
