import ServiceLifecycle

/// How a stage's unit of work ends when the service is asked to stop.
public enum StageShutdown {
    /// Runs `work`; once graceful shutdown has begun, lets it go on for `grace`, then cancels it
    /// and throws `CancellationError` (the caller records the stage as abandoned). Cancelling
    /// reaches the blocking calls: the PostgreSQL pool cancels a running statement (`PQcancel`).
    public static func abandoning<T: Sendable>(
        after grace: Duration, _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await Task.sleep(for: grace)
                } catch {
                    return nil
                }
                throw CancellationError()
            }
            group.addTask { try await work() }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }
}
