import Dispatch

/// A `TaskExecutor` backed by a dispatch queue, for code that makes blocking C calls.
///
/// Blocking calls (`zmq_recv`, `PQexec*`, `curl_easy_perform`) must never occupy the
/// cooperative thread pool. Run them inside `withTaskExecutorPreference(executor) { … }`
/// from a nonisolated async function, or through ``run(_:)``.
public final class BlockingExecutor: TaskExecutor, Sendable {
    private let queue: DispatchQueue

    /// - Parameters:
    ///   - label: names the queue's threads in stack traces.
    ///   - concurrent: `true` lets several blocked jobs run at once (GCD adds threads);
    ///     `false` serializes them, which suits one non-thread-safe handle.
    public init(label: String, concurrent: Bool = true) {
        self.queue = DispatchQueue(label: label, attributes: concurrent ? [.concurrent] : [])
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Runs `body` on this executor's queue and resumes the caller with its result.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// A shared executor for short blocking calls that own no long-lived handle.
    public static let shared = BlockingExecutor(label: "adrecs.blocking")
}
