import Dispatch
import Foundation
import Synchronization

/// A `TaskExecutor` for code that makes blocking C calls.
///
/// Blocking calls (`zmq_recv`, `PQexec*`, `curl_easy_perform`) must never occupy the
/// cooperative thread pool. Run them inside `withTaskExecutorPreference(executor) { … }`
/// from a nonisolated async function, or through ``run(_:)``.
public final class BlockingExecutor: TaskExecutor, Sendable {
    private enum Backend {
        /// One job at a time, in order: suits one non-thread-safe handle.
        case serial(DispatchQueue)
        /// Dedicated threads, as many as jobs block at once (up to a bound).
        case threads(BlockingThreadPool)
    }

    private let backend: Backend

    /// - Parameters:
    ///   - label: names the executor's threads in stack traces (Linux shows 15 bytes).
    ///   - concurrent: `true` runs jobs at once on dedicated threads (up to `maxThreads`);
    ///     `false` serializes them on one queue, which suits one non-thread-safe handle.
    public init(label: String, concurrent: Bool = true, maxThreads: Int = 64) {
        backend = concurrent
            ? .threads(BlockingThreadPool(name: label, maxThreads: maxThreads))
            : .serial(DispatchQueue(label: label))
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        submit { job.runSynchronously(on: executor) }
    }

    /// Runs `body` on this executor and resumes the caller with its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            submit { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Waits `duration` on one of this executor's threads; throws `CancellationError` (early) when
    /// the task is cancelled. Unlike `Task.sleep`, whose wake-up goes through the global executor,
    /// it needs no thread of the cooperative pool: for heartbeats that CPU-bound work holding the
    /// pool (one thread in a one-vCPU container) must not delay.
    public func sleep(for duration: Duration) async throws {
        let cancelled = CancellationFlag()
        try await withTaskCancellationHandler {
            try await run {
                let end = ContinuousClock.now + duration
                while !cancelled.isCancelled {
                    let left = end - ContinuousClock.now
                    guard left > .zero else { break }
                    usleep(UInt32(min(left, .milliseconds(20)).wholeMicroseconds))
                }
            }
        } onCancel: {
            cancelled.cancel()
        }
        try Task.checkCancellation()
    }

    private func submit(_ work: @escaping @Sendable () -> Void) {
        switch backend {
        case .serial(let queue): queue.async(execute: work)
        case .threads(let pool): pool.submit(work)
        }
    }

    /// A shared executor for short blocking calls that own no long-lived handle.
    public static let shared = BlockingExecutor(label: "adrecs.blocking")
}

/// Set from a task-cancellation handler (or a dropped stream); read by code blocked on another
/// thread (curl's callbacks, a blocking sleep) to stop early.
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { state.load(ordering: .acquiring) }

    public func cancel() { state.store(true, ordering: .releasing) }
}
