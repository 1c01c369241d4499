import AdrecsDatabase
import AdrecsDomain
import AdrecsPipeline
import AdrecsRuntime
import AdrecsTestSupport
import Foundation
import LibPQ
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

/// An in-memory ledger holding queued stages and recording what the runtime does to them.
final class FakeLedger: StageLedger {
    struct State {
        var queued: [RunClaim] = []
        var beats: [ContinuousClock.Instant] = []
        var completed: [(runID: String, next: Stage?, handover: String?)] = []
        var failed: [(runID: String, error: String)] = []
        var released: [(runID: String, cause: String)] = []
        var sweeps = 0
        /// Heartbeats answer `false` (the claim was taken back) once set.
        var refuseBeats = false
        /// Every call throws, as an unreachable PostgreSQL does.
        var unreachable = false
    }

    let state = Mutex(State())

    func queue(_ claim: RunClaim) { state.withLock { $0.queued.append(claim) } }
    func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    private func reachable() throws {
        if state.withLock({ $0.unreachable }) { throw CancellationError() }
    }

    func claim(runID: String, stage: Stage, worker: String) async throws -> RunClaim? {
        try reachable()
        return state.withLock { state in
            guard let index = state.queued.firstIndex(where: { $0.runID == runID && $0.stage == stage }) else { return nil }
            return state.queued.remove(at: index)
        }
    }

    func claimNext(stage: Stage, worker: String, redeliverAfter: Duration) async throws -> RunClaim? {
        try reachable()
        return state.withLock { state in
            guard let index = state.queued.firstIndex(where: { $0.stage == stage }) else { return nil }
            return state.queued.remove(at: index)
        }
    }

    func heartbeat(runID: String, stage: Stage, attempt: Int?) async throws -> Bool {
        try reachable()
        let now = ContinuousClock.now
        return state.withLock { state in
            state.beats.append(now)
            return !state.refuseBeats
        }
    }

    func completeStage(
        runID: String, stage: Stage, attempt: Int?, counts: [String: Int], s3Keys: [String: String], next: Stage?, handover: String?
    ) async throws {
        try reachable()
        state.withLock { $0.completed.append((runID, next, handover)) }
    }

    func failStage(runID: String, stage: Stage, attempt: Int?, error: String) async throws {
        try reachable()
        state.withLock { $0.failed.append((runID, error)) }
    }

    func releaseStage(runID: String, stage: Stage, attempt: Int, cause: String, maxAttempts: Int) async throws -> RunLedger.Release? {
        try reachable()
        state.withLock { $0.released.append((runID, cause)) }
        return RunLedger.Release(runID: runID, stage: stage, attempts: attempt, cause: cause, requeued: attempt < maxAttempts)
    }

    func releaseLostStages(staleAfter: Duration, maxAttempts: Int) async throws -> [RunLedger.Release] {
        try reachable()
        state.withLock { $0.sweeps += 1 }
        return []
    }
}

/// A job whose work is a closure; it hands the claim's hand-over text on to the next stage.
struct ClosureJob: StageJob {
    let work: @Sendable (String) async throws -> Int

    var stage: Stage { .models }

    func input(for claim: RunClaim, handover: [UInt8]?) throws -> String {
        guard let handover else { throw TestStageError.noHandover }
        return String(decoding: handover, as: UTF8.self)
    }

    func run(_ input: String, claim: RunClaim, logger: Logger) async throws -> StageOutcome {
        let rows = try await work(input)
        return StageOutcome(counts: ["rows": rows], handover: (.writer, Array("after \(input)".utf8)), rows: rows)
    }
}

enum TestStageError: StageError, Equatable {
    case noHandover
    var failureCause: FailureCause { .input }
    var description: String { "no hand-over" }
}

/// The stage runtime's logic against an in-memory ledger: no server.
@Suite(.timeLimit(.minutes(1)))
struct StageRuntimeTests {
    static let day = Day("2025-11-18")!
    static let fast = StageSettings(
        heartbeat: .milliseconds(200), staleAfter: .seconds(5), redeliverAfter: .zero, sweepInterval: .milliseconds(50),
        abandonAfter: .seconds(1))

    /// Runs `runtime` in a service group for the duration of `body`.
    static func running<Job: StageJob>(_ runtime: StageRuntime<Job>, _ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [runtime], logger: Logger(label: "adrecs.test.runtime"))
        let task = Task { try await group.run() }
        do {
            try await body()
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await task.value
    }

    static func runtime(
        _ ledger: FakeLedger, settings: StageSettings = fast, metrics: StageMetrics = StageMetrics(stage: "models"),
        work: @escaping @Sendable (String) async throws -> Int
    ) -> StageRuntime<ClosureJob> {
        StageRuntime(
            job: ClosureJob(work: work), ledger: ledger, settings: settings, messaging: StageMessaging(),
            metrics: metrics, logger: Logger(label: "adrecs.test.runtime"), workerID: "test")
    }

    /// Waits until `condition` holds of the ledger (20 s bound for a hang).
    static func until(_ ledger: FakeLedger, _ condition: (FakeLedger.State) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !ledger.read(condition) {
            guard ContinuousClock.now < deadline else { Issue.record("condition not met within 20 s"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test func aQueuedStageIsClaimedFromTheLedgerWithItsHandOverAndHandedOn() async throws {
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r1", date: Self.day, stage: .models, attempt: 2, handover: "ingest r1"))
        let seen = Mutex<[String]>([])
        try await Self.running(Self.runtime(ledger) { input in
            seen.withLock { $0.append(input) }
            return 7
        }) {
            try await Self.until(ledger) { !$0.completed.isEmpty }
        }
        #expect(seen.withLock { $0 } == ["ingest r1"])
        let completed = try #require(ledger.read { $0.completed.first })
        #expect(completed.runID == "r1" && completed.next == .writer && completed.handover == "after ingest r1")
        #expect(ledger.read { $0.failed.isEmpty && $0.released.isEmpty })
        #expect(ledger.read { $0.sweeps } > 0, "the supervisor never swept")
    }

    @Test func aStageWithoutHandOverFailsWithTheJobsError() async throws {
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r2", date: Self.day, stage: .models))
        try await Self.running(Self.runtime(ledger) { _ in 1 }) {
            try await Self.until(ledger) { !$0.failed.isEmpty }
        }
        #expect(ledger.read { $0.failed.map(\.error) } == ["no hand-over"])
        #expect(ledger.read { $0.completed.isEmpty && $0.released.isEmpty })
    }

    @Test func aDependencyFailureGivesTheClaimBackInsteadOfFailingTheRun() async throws {
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r3", date: Self.day, stage: .models, handover: "x"))
        try await Self.running(Self.runtime(ledger) { _ in
            throw PGError(.query, sqlState: "08006", message: "server closed the connection unexpectedly")
        }) {
            try await Self.until(ledger) { !$0.released.isEmpty }
        }
        #expect(ledger.read { $0.failed.isEmpty && $0.completed.isEmpty })
        #expect(ledger.read { $0.released.first?.runID } == "r3")
    }

    @Test func aRefusedHeartbeatStopsTheWorkAndRecordsNothing() async throws {
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r4", date: Self.day, stage: .models, handover: "x"))
        ledger.update { $0.refuseBeats = true }
        let cancelled = TestFlag()
        try await Self.running(Self.runtime(ledger) { _ in
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.set()
                throw error
            }
            return 0
        }) {
            let wasCancelled = try await cancelled.waitUntilSet()
            #expect(wasCancelled, "the work was not cancelled")
        }
        #expect(ledger.read { $0.failed.isEmpty && $0.completed.isEmpty && $0.released.isEmpty })
    }

    /// While a run works, its start time is exported; once the ledger holds its success, the
    /// success time is; a failed run clears the mark and stamps nothing.
    @Test func theRunningMarkAndTheLastSuccessFollowTheWork() async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = StageMetrics(stage: "models", factory: PrometheusMetricsFactory(registry: registry))
        @Sendable func sample(_ name: String) -> Double? {
            let series = name + #"{stage="models"} "#
            return registry.emitToString().split(separator: "\n").first { $0.hasPrefix(series) }
                .flatMap { Double($0.dropFirst(series.count)) }
        }
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r6", date: Self.day, stage: .models, handover: "x"))
        ledger.queue(RunClaim(runID: "r7", date: Self.day, stage: .models))
        let before = Date().timeIntervalSince1970
        let seenWhileWorking = Mutex<Double?>(nil)
        try await Self.running(Self.runtime(ledger, metrics: metrics) { _ in
            seenWhileWorking.withLock { $0 = sample(MetricNames.runningSince) }
            return 1
        }) {
            try await Self.until(ledger) { !$0.completed.isEmpty && !$0.failed.isEmpty }
        }
        let after = Date().timeIntervalSince1970
        let started = try #require(seenWhileWorking.withLock { $0 })
        #expect(started >= before && started <= after, "running since \(started), not within \(before)...\(after)")
        let succeeded = try #require(sample(MetricNames.lastSuccess))
        #expect(succeeded >= started && succeeded <= after, "last success \(succeeded), not within \(started)...\(after)")
        #expect(sample(MetricNames.runningSince) == 0)
        #expect(registry.emitToString().contains(#"adrecs_runs_total{stage="models",outcome="failed"} 1"#))
    }

    @Test func readinessFollowsTheLedger() async throws {
        let ledger = FakeLedger()
        let runtime = Self.runtime(ledger) { _ in 0 }
        #expect(!runtime.isReady, "ready before it ran")
        try await Self.running(runtime) {
            try await Self.until(ledger) { $0.sweeps > 2 }
            #expect(runtime.isReady)
        }
        #expect(!runtime.isReady, "ready after it stopped")
    }
}

/// Heartbeats under CPU starvation. It holds every cooperative thread of the test process for 3 s,
/// so `scripts/test.sh` runs it alone (its live phase), never beside the other suites.
@Suite(.timeLimit(.minutes(1)))
struct StageRuntimeStarvationTests {
    /// Work that holds every thread of the cooperative pool with CPU (as a one-vCPU container's one
    /// thread is held by parsing) must not starve the heartbeat: beats stay within interval + 1 s.
    @Test func heartbeatsKeepTheirPaceWhileCPUBoundWorkHoldsEveryCooperativeThread() async throws {
        let ledger = FakeLedger()
        ledger.queue(RunClaim(runID: "r5", date: StageRuntimeTests.day, stage: .models, handover: "x"))
        let settings = StageSettings(heartbeat: .milliseconds(250), staleAfter: .seconds(5), redeliverAfter: .zero, sweepInterval: .milliseconds(50))
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let spin = Duration.seconds(3)
        let started = Mutex<ContinuousClock.Instant?>(nil)
        try await StageRuntimeTests.running(StageRuntimeTests.runtime(ledger, settings: settings) { _ in
            started.withLock { $0 = .now }
            // One synchronous spin per cooperative thread: none is free until they end.
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<threads {
                    group.addTask {
                        let end = ContinuousClock.now + spin
                        var x: UInt64 = 1
                        while ContinuousClock.now < end { x = x &* 6364136223846793005 &+ 1 }
                        precondition(x != 0)
                    }
                }
            }
            return 1
        }) {
            try await StageRuntimeTests.until(ledger) { !$0.completed.isEmpty }
        }
        let start = try #require(started.withLock { $0 })
        let beats = ledger.read { $0.beats }.filter { $0 > start && $0 < start + spin }
        let points = [start] + beats + [start + spin]
        let gaps = zip(points, points.dropFirst()).map { $1 - $0 }
        let longest = try #require(gaps.max())
        #expect(longest <= settings.heartbeat + .seconds(1), "longest gap between heartbeats \(longest) with \(threads) cooperative threads busy")
        #expect(beats.count >= 4, "only \(beats.count) beats in \(spin) of work")
    }
}
