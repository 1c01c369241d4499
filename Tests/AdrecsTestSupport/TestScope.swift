/// Setup and teardown around a test body.
public enum TestScope {
    /// Runs `body`, then `cleanUp` whether `body` threw or not, then returns `body`'s value or
    /// rethrows its error: the teardown of every fixture that owns a schema, a bucket or a worker.
    public static func run<T>(_ body: () async throws -> T, cleanUp: () async -> Void) async throws -> T {
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        await cleanUp()
        return try outcome.get()
    }
}
