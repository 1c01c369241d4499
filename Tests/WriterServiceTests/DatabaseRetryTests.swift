import LibPQ
import Logging
import Synchronization
import Testing
@testable import WriterService

/// The writer's bounded retry of an unreachable PostgreSQL (no server needed).
@Suite struct DatabaseRetryTests {
    static let logger = Logger(label: "adrecs.test.retry")

    @Test func connectionFailuresAreRetriedUntilTheBudgetIsSpent() async throws {
        let attempts = Atomic<Int>(0)
        let retry = DatabaseRetry(budget: .milliseconds(600), initialDelay: .milliseconds(50), maxDelay: .milliseconds(200))
        let start = ContinuousClock.now
        let error = await #expect(throws: WriterError.self) {
            try await retry.run("test", logger: Self.logger) { () async throws -> Int in
                attempts.add(1, ordering: .relaxed)
                throw PGError(.connect, sqlState: "08006", message: "server closed the connection")
            }
        }
        let elapsed = ContinuousClock.now - start
        // Bounded by the budget (plus scheduling slack on a loaded machine), and retried at least once.
        #expect(elapsed >= .milliseconds(600) && elapsed < .seconds(60))
        #expect(attempts.load(ordering: .relaxed) >= 2)
        guard case .databaseUnavailable(_, let count, let last)? = error else {
            Issue.record("unexpected error \(String(describing: error))")
            return
        }
        #expect(count == attempts.load(ordering: .relaxed))
        #expect(last.contains("08006"))
        #expect(error?.description.contains("PostgreSQL unreachable") == true)
    }

    @Test func sqlErrorsAreNotRetried() async throws {
        let attempts = Atomic<Int>(0)
        let retry = DatabaseRetry(budget: .seconds(60))
        await #expect(throws: PGError.self) {
            try await retry.run("test", logger: Self.logger) { () async throws -> Int in
                attempts.add(1, ordering: .relaxed)
                throw PGError(.query, sqlState: "23505", message: "duplicate key")
            }
        }
        #expect(attempts.load(ordering: .relaxed) == 1)
    }

    @Test func aRecoveredDatabaseReturnsTheResult() async throws {
        let attempts = Atomic<Int>(0)
        let retry = DatabaseRetry(budget: .seconds(60), initialDelay: .milliseconds(10))
        let value = try await retry.run("test", logger: Self.logger) { () async throws -> Int in
            if attempts.add(1, ordering: .relaxed).newValue < 3 {
                throw PGError(.connect, sqlState: "08001", message: "connection refused")
            }
            return 42
        }
        #expect(value == 42 && attempts.load(ordering: .relaxed) == 3)
    }
}
