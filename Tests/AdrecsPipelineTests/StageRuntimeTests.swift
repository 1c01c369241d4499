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
import StageTestSupport
import Synchronization
import Testing

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
    static let fast = InMemoryLedger.fastSettings

    /// Runs `runtime` in a service group for the duration of `body`.
    static func running<Job: StageJob>(_ runtime: StageRuntime<Job>, _ body: () async throws -> Void) async throws {
        try await runtime.whileRunning(body)
    }

    static func runtime(
        _ ledger: InMemoryLedger, settings: StageSettings = fast, metrics: StageMetrics = StageMetrics(stage: "models"),
        work: @escaping @Sendable (String) async throws -> Int
    ) -> StageRuntime<ClosureJob> {
        StageRuntime(
            job: ClosureJob(work: work), ledger: ledger, settings: settings, messaging: StageMessaging(),
            metrics: metrics, logger: Logger(label: "adrecs.test.runtime"), workerID: "test")
    }

    /// Waits until `condition` holds of the ledger (20 s bound for a hang).
    static func until(_ ledger: InMemoryLedger, _ condition: (InMemoryLedger.State) -> Bool) async throws {
        try await ledger.waitUntil(condition)
    }

    @Test func aQueuedStageIsClaimedFromTheLedgerWithItsHandOverAndHandedOn() async throws {
        let ledger = InMemoryLedger()
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
        let ledger = InMemoryLedger()
        ledger.queue(RunClaim(runID: "r2", date: Self.day, stage: .models))
        try await Self.running(Self.runtime(ledger) { _ in 1 }) {
            try await Self.until(ledger) { !$0.failed.isEmpty }
        }
        #expect(ledger.read { $0.failed.map(\.error) } == ["no hand-over"])
        #expect(ledger.read { $0.completed.isEmpty && $0.released.isEmpty })
    }

    @Test func aDependencyFailureGivesTheClaimBackInsteadOfFailingTheRun() async throws {
        let ledger = InMemoryLedger()
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
        let ledger = InMemoryLedger()
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
        let ledger = InMemoryLedger()
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
        let ledger = InMemoryLedger()
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
        let ledger = InMemoryLedger()
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
