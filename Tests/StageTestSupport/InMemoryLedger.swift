public import AdrecsDatabase
public import AdrecsPipeline
import AdrecsRuntime
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A ``StageLedger`` in memory, for unit tests of the stage runtime and of each stage's job: it
/// holds queued stages and records how the runtime ended each one (completed with its counts and
/// keys, failed with its text, or given back).
public final class InMemoryLedger: StageLedger {
    public struct Completion: Sendable {
        public var runID: String
        public var counts: [String: Int]
        public var s3Keys: [String: String]
        public var next: Stage?
        public var handover: String?
    }

    public struct State: Sendable {
        public var queued: [RunClaim] = []
        public var beats: [ContinuousClock.Instant] = []
        public var completed: [Completion] = []
        public var failed: [(runID: String, error: String)] = []
        public var released: [(runID: String, cause: String)] = []
        public var sweeps = 0
        /// Heartbeats answer `false` (the claim was taken back) once set.
        public var refuseBeats = false
        /// Every call throws, as an unreachable PostgreSQL does.
        public var unreachable = false

        /// The stage was completed, failed or given back.
        public var ended: Bool { !completed.isEmpty || !failed.isEmpty || !released.isEmpty }
    }

    let state = Mutex(State())

    public init() {}

    public func queue(_ claim: RunClaim) { state.withLock { $0.queued.append(claim) } }
    public func read<T>(_ body: (State) -> T) -> T { state.withLock { body($0) } }
    public func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    /// Waits until `condition` holds of the ledger (20 s bound for a hang).
    public func waitUntil(_ condition: (State) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while !read(condition) {
            guard ContinuousClock.now < deadline else { Issue.record("condition not met within 20 s"); return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Settings that keep a unit test short: sweeps every 50 ms, beats every 200 ms.
    public static let fastSettings = StageSettings(
        heartbeat: .milliseconds(200), staleAfter: .seconds(5), redeliverAfter: .zero, sweepInterval: .milliseconds(50),
        abandonAfter: .seconds(1))

    /// A runtime working `job` on this ledger, without sockets.
    public func runtime<Job: StageJob>(_ job: Job, settings: StageSettings = InMemoryLedger.fastSettings) -> StageRuntime<Job> {
        StageRuntime(
            job: job, ledger: self, settings: settings, messaging: StageMessaging(), metrics: StageMetrics(stage: job.stage.rawValue),
            logger: Logger(label: "adrecs.test.\(job.stage.rawValue)"), workerID: "test")
    }

    /// Queues `claim`, runs `job` on it and returns the ledger's state once the stage ended.
    public func work<Job: StageJob>(_ job: Job, _ claim: RunClaim) async throws -> State {
        queue(claim)
        try await runtime(job).whileRunning {
            try await waitUntil(\.ended)
        }
        return read { $0 }
    }

    private func reachable() throws {
        if state.withLock({ $0.unreachable }) { throw CancellationError() }
    }

    public func claim(runID: String, stage: Stage, worker: String) async throws -> RunClaim? {
        try reachable()
        return state.withLock { state in
            guard let index = state.queued.firstIndex(where: { $0.runID == runID && $0.stage == stage }) else { return nil }
            return state.queued.remove(at: index)
        }
    }

    public func claimNext(stage: Stage, worker: String, redeliverAfter: Duration) async throws -> RunClaim? {
        try reachable()
        return state.withLock { state in
            guard let index = state.queued.firstIndex(where: { $0.stage == stage }) else { return nil }
            return state.queued.remove(at: index)
        }
    }

    public func heartbeat(runID: String, stage: Stage, attempt: Int?) async throws -> Bool {
        try reachable()
        let now = ContinuousClock.now
        return state.withLock { state in
            state.beats.append(now)
            return !state.refuseBeats
        }
    }

    public func completeStage(
        runID: String, stage: Stage, attempt: Int?, counts: [String: Int], s3Keys: [String: String], next: Stage?, handover: String?
    ) async throws {
        try reachable()
        state.withLock { $0.completed.append(Completion(runID: runID, counts: counts, s3Keys: s3Keys, next: next, handover: handover)) }
    }

    public func failStage(runID: String, stage: Stage, attempt: Int?, error: String) async throws {
        try reachable()
        state.withLock { $0.failed.append((runID, error)) }
    }

    public func releaseStage(runID: String, stage: Stage, attempt: Int, cause: String, maxAttempts: Int) async throws -> RunLedger.Release? {
        try reachable()
        state.withLock { $0.released.append((runID, cause)) }
        return RunLedger.Release(runID: runID, stage: stage, attempts: attempt, cause: cause, requeued: attempt < maxAttempts)
    }

    public func releaseLostStages(staleAfter: Duration, maxAttempts: Int) async throws -> [RunLedger.Release] {
        try reachable()
        state.withLock { $0.sweeps += 1 }
        return []
    }
}

extension StageRuntime {
    /// Runs the runtime in a service group for the duration of `body`, then shuts it down gracefully.
    public func whileRunning(_ body: () async throws -> Void) async throws {
        let group = ServiceGroup(services: [self], logger: Logger(label: "adrecs.test.runtime"))
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
}
