import AdrecsDatabase
import AdrecsDomain
import AdrecsPipeline
import AdrecsTestSupport
import IngestService
import Synchronization
import Testing

/// `StageHeartbeat` as the stages use it, against a real ledger (here with ingest's error type).
@Suite(.timeLimit(.minutes(1)))
struct StageHeartbeatTests {
    let day = Day("2025-11-19")!

    @Test func beatsWhileTheWorkRunsAndReturnsItsValue() async throws {
        try await IngestFixture.with("beat") { fixture in
            let run = try await fixture.ledger.kick(date: day)
            _ = try #require(try await fixture.ledger.claimNextIngest(worker: "test"))
            let first = try #require(try await fixture.ledger.run(id: run.runID)?.stage(.ingest)?.heartbeatAt)
            let ledger = fixture.ledger
            // The work lasts until it sees a beat in the ledger (not a fixed time: the unit phase
            // runs every suite at once on 2 cores), or gives up after 20 s.
            let value = try await StageHeartbeat.beating(
                ledger: ledger, runID: run.runID, stage: .ingest, every: .milliseconds(100), logger: fixture.logger,
                failure: IngestError.self
            ) {
                let deadline = ContinuousClock.now + .seconds(20)
                while ContinuousClock.now < deadline {
                    if let beat = try await ledger.run(id: run.runID)?.stage(.ingest)?.heartbeatAt, beat > first { return 42 }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return 0
            }
            #expect(value == 42, "heartbeat_at stayed at \(first) for 20 s of work")
        }
    }

    @Test func aStageTheLedgerNoLongerRunsStopsTheWork() async throws {
        try await IngestFixture.with("beatstop") { fixture in
            let run = try await fixture.ledger.kick(date: day)
            _ = try #require(try await fixture.ledger.claimNextIngest(worker: "test"))
            let cancelled = TestFlag()
            let ledger = fixture.ledger
            let runID = run.runID
            // Another party ends the stage while the work is under way.
            async let ended: Void = {
                try await Task.sleep(for: .milliseconds(300))
                try await ledger.failStage(runID: runID, stage: .ingest, error: "replaced by a later kick")
            }()
            let error = await #expect(throws: IngestError.self) {
                try await StageHeartbeat.beating(
                    ledger: ledger, runID: runID, stage: .ingest, every: .milliseconds(100), logger: fixture.logger,
                    failure: IngestError.self
                ) {
                    do {
                        try await Task.sleep(for: .seconds(30))
                    } catch {
                        cancelled.set()
                        throw error
                    }
                }
            }
            try await ended
            #expect(error == .stageNoLongerRunning(runID: runID, stage: "ingest"))
            #expect(error?.failureCause == .unexpected)
            #expect(cancelled.isSet, "the work was not cancelled")
        }
    }
}
