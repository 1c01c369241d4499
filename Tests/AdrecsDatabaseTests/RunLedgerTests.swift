import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import LibPQ
import Testing

@Suite(.timeLimit(.minutes(2)))
struct RunLedgerTests {
    let day = Day("2025-11-15")!

    @Test func kickCreatesAQueuedRunWithItsStages() async throws {
        try await TestDatabase.with("kick") { db in
            let ledger = db.ledger()
            let run = try await ledger.kick(date: day)
            #expect(run.date == "2025-11-15")
            #expect(run.state == .queued)
            #expect(run.runID.hasPrefix("2025-11-15T"))
            #expect(run.stages.map(\.stage) == [.ingest, .models, .writer])
            #expect(run.stages.map(\.state) == [.queued, .pending, .pending])
            #expect(run.stage(.ingest)?.queuedAt != nil && run.stage(.models)?.queuedAt == nil)
            #expect(run.createdAt.hasSuffix("Z") && run.createdAt.count == 24)
            #expect(try await ledger.run(id: run.runID) == run)
            #expect(try await ledger.runs(date: day, limit: 1) == [run])
            #expect(try await ledger.run(id: "nope") == nil)
        }
    }

    @Test func secondKickWhileActiveIsRefused() async throws {
        try await TestDatabase.with("kick2") { db in
            let ledger = db.ledger()
            let run = try await ledger.kick(date: day)
            await #expect(throws: LedgerError.runInProgress(runID: run.runID, date: "2025-11-15")) {
                try await ledger.kick(date: day)
            }
            // Another date is independent.
            let other = try await ledger.kick(date: Day("2025-11-16")!)
            #expect(other.state == .queued)
            #expect(try await ledger.runs(date: day).count == 1)
        }
    }

    @Test func aKickLaterThanTomorrowIsRefusedAndChangesNothing() async throws {
        try await TestDatabase.with("future") { db in
            let ledger = db.ledger()
            let (tomorrow, later) = (try Day.utcToday(offset: 1), try Day.utcToday(offset: 2))
            await #expect(throws: LedgerError.futureDate(date: later.description, latest: tomorrow.description)) {
                try await ledger.kick(date: later)
            }
            await #expect(throws: LedgerError.futureDate(date: "2099-01-01", latest: tomorrow.description)) {
                try await ledger.kick(date: Day("2099-01-01")!, force: true)
            }
            #expect(try await ledger.runs(date: later).isEmpty)
            #expect(LedgerError.futureDate(date: "2099-01-01", latest: "2026-12-07").description
                == "2099-01-01 is later than tomorrow (2026-12-07, UTC): a run may not be kicked for a future date")
            // Today and tomorrow are allowed (a run may be kicked ahead of its data's arrival).
            #expect(try await ledger.kick(date: tomorrow).state == .queued)
            #expect(try await ledger.kick(date: try Day.utcToday()).state == .queued)
        }
    }

    @Test func forceIsRecordedOnTheRun() async throws {
        try await TestDatabase.with("force") { db in
            let ledger = db.ledger()
            let forced = try await ledger.kick(date: day, force: true)
            #expect(forced.force)
            #expect(try await ledger.run(id: forced.runID)?.force == true)
            let plain = try await ledger.kick(date: Day("2025-11-16")!)
            #expect(!plain.force)
            let data = try JSONEncoder().encode(forced)
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(object["force"] as? Bool == true)
        }
    }

    @Test func concurrentKicksOfADateStartOneRun() async throws {
        try await TestDatabase.with("kickc") { db in
            let ledger = db.ledger()
            let pools = (0..<3).map { _ in db.makePool() }
            let day = self.day
            let outcomes = try await withThrowingTaskGroup(of: Result<String, LedgerError>.self) { group in
                for pool in pools + [db.pool] {
                    let kicker = RunLedger(pool: pool, logger: db.logger)
                    group.addTask {
                        do { return .success(try await kicker.kick(date: day).runID) } catch let error as LedgerError { return .failure(error) }
                    }
                }
                var all: [Result<String, LedgerError>] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            for pool in pools { await pool.close() }
            let started = outcomes.compactMap { try? $0.get() }
            #expect(started.count == 1)
            let refused = outcomes.filter { if case .failure(.runInProgress(let id, "2025-11-15")) = $0 { id == started.first } else { false } }
            #expect(refused.count == 3)
            #expect(try await ledger.runs(date: day).map(\.runID) == started)
        }
    }

    @Test func staleRunIsAbandonedByTheNextKick() async throws {
        try await TestDatabase.with("stale") { db in
            let ledger = db.ledger(staleAfter: .seconds(1))
            let old = try await ledger.kick(date: day)
            let claim = try #require(try await ledger.claimNext(stage: .ingest, worker: "w1"))
            #expect(claim.runID == old.runID)
            try await Task.sleep(for: .milliseconds(1300))
            let new = try await ledger.kick(date: day)
            #expect(new.runID != old.runID)
            let abandoned = try #require(try await ledger.run(id: old.runID))
            #expect(abandoned.state == .failed)
            #expect(abandoned.error?.hasPrefix("abandoned: no progress for ") == true)
            #expect(abandoned.finishedAt != nil)
            #expect(abandoned.stages.map(\.state) == [.failed, .pending, .pending])
            #expect(try await ledger.runs(date: day).map(\.runID) == [new.runID, old.runID])
            #expect(try await ledger.runs(date: day, limit: 1).map(\.runID) == [new.runID])
        }
    }

    @Test func heartbeatKeepsARunAlive() async throws {
        try await TestDatabase.with("beat") { db in
            // Heartbeats every 0.5 s over 4 s keep alive a run that 3 s of silence would abandon
            // (wide margins: a loaded CI machine may delay a heartbeat by a second or more).
            let ledger = db.ledger(staleAfter: .seconds(3))
            let run = try await ledger.kick(date: day)
            _ = try #require(try await ledger.claimNext(stage: .ingest, worker: "w1"))
            let before = try #require(try await ledger.run(id: run.runID)?.stage(.ingest)?.heartbeatAt)
            for _ in 0..<8 {
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await ledger.heartbeat(runID: run.runID, stage: .ingest))
            }
            let after = try #require(try await ledger.run(id: run.runID)?.stage(.ingest)?.heartbeatAt)
            #expect(after > before)
            await #expect(throws: LedgerError.runInProgress(runID: run.runID, date: "2025-11-15")) {
                try await ledger.kick(date: day)
            }
            #expect(try await ledger.heartbeat(runID: run.runID, stage: .models) == false)
        }
    }

    @Test func concurrentClaimersGetARunAtMostOnce() async throws {
        try await TestDatabase.with("claim") { db in
            let ledger = db.ledger()
            let days = (10...14).map { Day(year: 2025, month: 11, day: $0)! }
            var kicked: [String] = []
            for day in days { kicked.append(try await ledger.kick(date: day).runID) }
            let claims = try await withThrowingTaskGroup(of: [RunClaim].self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        var mine: [RunClaim] = []
                        while let claim = try await ledger.claimNext(stage: .ingest, worker: "w\(worker)") { mine.append(claim) }
                        return mine
                    }
                }
                var all: [RunClaim] = []
                for try await mine in group { all += mine }
                return all
            }
            #expect(claims.count == days.count)
            #expect(Set(claims.map(\.runID)) == Set(kicked))
            #expect(Set(claims.map(\.date)) == Set(days))
            #expect(try await ledger.claimNext(stage: .ingest, worker: "late") == nil)
            let first = try #require(kicked.first)
            let run = try #require(try await ledger.run(id: first))
            #expect(run.state == .running)
            #expect(run.stage(.ingest)?.state == .running && run.stage(.ingest)?.worker?.hasPrefix("w") == true)
        }
    }

    @Test func completeStageQueuesTheNextAndClaimNeedsQueued() async throws {
        try await TestDatabase.with("done") { db in
            let ledger = db.ledger()
            let run = try await ledger.kick(date: day)
            #expect(try await ledger.claim(runID: run.runID, stage: .models, worker: "m") == nil)
            _ = try #require(try await ledger.claimNext(stage: .ingest, worker: "i"))
            try await ledger.completeStage(
                runID: run.runID, stage: .ingest, counts: ["rows_kept": 42, "quarantined": 1],
                s3Keys: ["manifest": "runs/2025-11-15/\(run.runID)/ingest/manifest.json"], next: .models)
            var record = try #require(try await ledger.run(id: run.runID))
            #expect(record.stages.map(\.state) == [.succeeded, .queued, .pending])
            #expect(record.stage(.ingest)?.counts == ["rows_kept": 42, "quarantined": 1])
            #expect(record.stage(.ingest)?.s3Keys["manifest"]?.hasSuffix("manifest.json") == true)
            #expect(record.stage(.models)?.queuedAt != nil)
            await #expect(throws: LedgerError.stageNotRunning(runID: run.runID, stage: .ingest)) {
                try await ledger.completeStage(runID: run.runID, stage: .ingest, counts: [:], s3Keys: [:], next: .models)
            }
            let claim = try #require(try await ledger.claim(runID: run.runID, stage: .models, worker: "m1"))
            #expect(claim == RunClaim(runID: run.runID, date: day, stage: .models))
            #expect(try await ledger.claim(runID: run.runID, stage: .models, worker: "m2") == nil)
            try await ledger.completeStage(runID: run.runID, stage: .models, counts: ["rows": 3], s3Keys: [:], next: .writer)
            _ = try #require(try await ledger.claim(runID: run.runID, stage: .writer, worker: "w"))
            try await ledger.completeStage(runID: run.runID, stage: .writer, counts: [:], s3Keys: [:], next: nil)
            record = try #require(try await ledger.run(id: run.runID))
            #expect(record.state == .succeeded && record.finishedAt != nil)
            #expect(record.stages.allSatisfy { $0.state == .succeeded })
        }
    }

    @Test func failStageFailsTheRun() async throws {
        try await TestDatabase.with("fail") { db in
            let ledger = db.ledger()
            let run = try await ledger.kick(date: day)
            _ = try #require(try await ledger.claimNext(stage: .ingest, worker: "i"))
            try await ledger.failStage(runID: run.runID, stage: .ingest, error: "S3 GetObject: SignatureDoesNotMatch")
            let record = try #require(try await ledger.run(id: run.runID))
            #expect(record.state == .failed)
            #expect(record.error == "ingest: S3 GetObject: SignatureDoesNotMatch")
            #expect(record.finishedAt != nil)
            #expect(record.stages.map(\.state) == [.failed, .pending, .pending])
            #expect(record.stage(.ingest)?.error == "S3 GetObject: SignatureDoesNotMatch")
            // A failed run no longer blocks a kick, and its stages cannot be claimed.
            #expect(try await ledger.claim(runID: run.runID, stage: .ingest, worker: "x") == nil)
            let next = try await ledger.kick(date: day)
            #expect(next.runID != run.runID)
            await #expect(throws: LedgerError.unknownRun("missing")) {
                try await ledger.failStage(runID: "missing", stage: .ingest, error: "x")
            }
        }
    }

    @Test func runRecordEncodesSnakeCase() async throws {
        try await TestDatabase.with("json") { db in
            let ledger = db.ledger()
            let run = try await ledger.kick(date: day)
            let data = try JSONEncoder().encode(try #require(try await ledger.run(id: run.runID)))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(Set(object.keys) == ["run_id", "date", "state", "created_at", "finished_at", "error", "force", "stages"])
            #expect(object["run_id"] as? String == run.runID)
            #expect(object["force"] as? Bool == false)
            #expect(object["finished_at"] is NSNull)
            let stages = try #require(object["stages"] as? [[String: Any]])
            try #require(stages.count == 3)
            #expect(Set(stages[0].keys) == [
                "stage", "state", "queued_at", "started_at", "finished_at", "heartbeat_at", "worker", "counts", "s3_keys", "error", "attempts",
            ])
            #expect(try JSONDecoder().decode(RunRecord.self, from: data) == run)
        }
    }

    @Test func runIDsAreSortableAndShaped() {
        let date = Date(timeIntervalSince1970: 1_763_179_201) // 2025-11-15T04:00:01Z
        let id = RunLedger.makeRunID(date: day, now: date)
        #expect(id.hasPrefix("2025-11-15T040001-"))
        #expect(id.count == "2025-11-15T040001-3f9a0c1e".count)
        let isHex = id.suffix(8).allSatisfy { $0.isHexDigit }
        #expect(isHex)
        #expect(RunLedger.makeRunID(date: day, now: date) != id)
    }
}
