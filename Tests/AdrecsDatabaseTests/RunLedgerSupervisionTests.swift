import AdrecsDatabase
import AdrecsDomain
import Foundation
import LibPQ
import Testing

/// Claims, attempts, hand-overs and the supervisor's repairs, against the real PostgreSQL.
@Suite(.timeLimit(.minutes(2)))
struct RunLedgerSupervisionTests {
    let day = Day("2025-11-15")!

    /// Kicks a run and completes ingest, handing `handover` to models. Returns the run id.
    func queueModels(_ ledger: RunLedger, handover: String? = #"{"runID":"x"}"#) async throws -> String {
        let run = try await ledger.kick(date: day)
        let ingest = try #require(try await ledger.claimNext(stage: .ingest, worker: "ingest-test"))
        #expect(ingest.attempt == 1)
        try await ledger.completeStage(
            runID: run.runID, stage: .ingest, attempt: ingest.attempt, counts: [:], s3Keys: [:], next: .models, handover: handover)
        return run.runID
    }

    /// Makes the stage's heartbeat `seconds` old, as a worker that stopped beating leaves it.
    func age(_ db: TestDatabase, _ runID: String, _ stage: Stage, seconds: Int) async throws {
        try await db.pool.execute(
            "UPDATE run_stages SET heartbeat_at = now() - make_interval(secs => $3) WHERE run_id = $1 AND stage = $2",
            [runID, stage.rawValue, seconds])
    }

    @Test func aHandedOverStageIsClaimableFromTheLedgerOnlyAfterTheRedeliveryBound() async throws {
        try await TestDatabase.with("redeliver") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger)
            #expect(try await ledger.claimNext(stage: .models, worker: "m", redeliverAfter: .seconds(60)) == nil)
            let claim = try #require(try await ledger.claimNext(stage: .models, worker: "m", redeliverAfter: .zero))
            #expect(claim.runID == runID && claim.attempt == 1 && claim.handover == #"{"runID":"x"}"#)
            #expect(claim.date == day)
        }
    }

    @Test func aStageWithoutARecordedHandOverIsLeftToItsMessage() async throws {
        try await TestDatabase.with("nohandover") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger, handover: nil)
            #expect(try await ledger.claimNext(stage: .models, worker: "m", redeliverAfter: .zero) == nil)
            #expect(try await ledger.claim(runID: runID, stage: .models, worker: "m") != nil)
        }
    }

    @Test func aLostWorkerIsQueuedAgainAndItsOldClaimCanNoLongerActOrFinish() async throws {
        try await TestDatabase.with("lost") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger)
            let first = try #require(try await ledger.claim(runID: runID, stage: .models, worker: "m1"))
            #expect(try await ledger.releaseLostStages(staleAfter: .seconds(30), maxAttempts: 3).isEmpty, "a fresh heartbeat is not lost")
            try await age(db, runID, .models, seconds: 40)
            let releases = try await ledger.releaseLostStages(staleAfter: .seconds(30), maxAttempts: 3)
            #expect(releases.count == 1)
            let release = try #require(releases.first)
            #expect(release.runID == runID && release.stage == .models && release.requeued && release.attempts == 1)
            #expect(release.cause.hasPrefix("worker lost: no heartbeat for 4"), "\(release.cause)")

            let record = try #require(try await ledger.run(id: runID))
            let models = try #require(record.stage(.models))
            #expect(record.state == .running && models.state == .queued && models.attempts == 1)
            #expect(models.error == release.cause && models.worker == nil)

            // The queued-again stage is claimable at once (no message will come for it).
            let second = try #require(try await ledger.claimNext(stage: .models, worker: "m2", redeliverAfter: .seconds(60)))
            #expect(second.attempt == 2)
            // The lost worker, should it wake up, is refused everything.
            #expect(try await ledger.heartbeat(runID: runID, stage: .models, attempt: first.attempt) == false)
            await #expect(throws: LedgerError.stageNotRunning(runID: runID, stage: .models)) {
                try await ledger.completeStage(runID: runID, stage: .models, attempt: first.attempt, counts: [:], s3Keys: [:], next: .writer)
            }
            try await ledger.failStage(runID: runID, stage: .models, attempt: first.attempt, error: "late failure")
            #expect(try await ledger.run(id: runID)?.state == .running)
            // The new claim finishes the stage.
            #expect(try await ledger.heartbeat(runID: runID, stage: .models, attempt: second.attempt))
            try await ledger.completeStage(
                runID: runID, stage: .models, attempt: second.attempt, counts: ["rows": 1], s3Keys: [:], next: .writer, handover: "w")
            let done = try #require(try await ledger.run(id: runID))
            #expect(done.stage(.models)?.state == .succeeded && done.stage(.models)?.error == nil && done.stage(.models)?.attempts == 2)
            #expect(done.stage(.writer)?.state == .queued)
        }
    }

    @Test func theLastAttemptFailsTheRunWithTheCause() async throws {
        try await TestDatabase.with("spent") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger)
            for attempt in 1...2 {
                let claim = try #require(try await ledger.claimNext(stage: .models, worker: "m", redeliverAfter: .zero))
                #expect(claim.attempt == attempt)
                try await age(db, runID, .models, seconds: 40)
                #expect(try await ledger.releaseLostStages(staleAfter: .seconds(30), maxAttempts: 2).first?.requeued == (attempt < 2))
            }
            let record = try #require(try await ledger.run(id: runID))
            #expect(record.state == .failed)
            #expect(record.stage(.models)?.state == .failed)
            #expect(record.error?.hasPrefix("models: worker lost: no heartbeat for") == true, "\(record.error ?? "")")
            #expect(record.error?.hasSuffix("(attempt 2 of 2)") == true, "\(record.error ?? "")")
            #expect(try await ledger.claimNext(stage: .models, worker: "m", redeliverAfter: .zero) == nil)
        }
    }

    @Test func aReleasedFailureIsQueuedAgainUnderItsClaimOnly() async throws {
        try await TestDatabase.with("release") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger)
            let claim = try #require(try await ledger.claim(runID: runID, stage: .models, worker: "m"))
            #expect(try await ledger.releaseStage(runID: runID, stage: .models, attempt: claim.attempt + 1, cause: "x", maxAttempts: 3) == nil)
            let release = try #require(
                try await ledger.releaseStage(runID: runID, stage: .models, attempt: claim.attempt, cause: "SQLSTATE 08006: lost", maxAttempts: 3))
            #expect(release.requeued)
            let record = try #require(try await ledger.run(id: runID))
            #expect(record.stage(.models)?.state == .queued && record.stage(.models)?.error == "SQLSTATE 08006: lost")
        }
    }

    @Test func concurrentSupervisorsReleaseALostStageOnce() async throws {
        try await TestDatabase.with("supervisors") { db in
            let ledger = db.ledger()
            let runID = try await queueModels(ledger)
            _ = try #require(try await ledger.claim(runID: runID, stage: .models, worker: "m"))
            try await age(db, runID, .models, seconds: 40)
            let pools = (0..<3).map { _ in db.makePool() }
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for pool in pools + [db.pool] {
                    let supervisor = RunLedger(pool: pool, logger: db.logger)
                    group.addTask { try await supervisor.releaseLostStages(staleAfter: .seconds(30), maxAttempts: 3).count }
                }
                return try await group.reduce(0, +)
            }
            for pool in pools { await pool.close() }
            #expect(total == 1)
        }
    }
}
