import AdrecsConcurrency
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct BlockingExecutorTests {
    /// Sixteen jobs that each block their thread for 300 ms finish together, not one core at a time.
    @Test func concurrentJobsBlockOnTheirOwnThreads() async throws {
        let executor = BlockingExecutor(label: "test.blocking")
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask { try await executor.run { _ = usleep(300_000) } }
            }
            try await group.waitForAll()
        }
        #expect(clock.now - start < .milliseconds(1_500))
    }

    @Test func serialJobsRunInOrder() async throws {
        let executor = BlockingExecutor(label: "test.serial", concurrent: false)
        let order = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for index in 0..<5 {
                group.addTask { (index, try await executor.run { usleep(20_000); return Date().timeIntervalSince1970 }) }
            }
            return try await group.reduce(into: [(Int, Double)]()) { $0.append($1) }
        }
        let finishes = order.map(\.1).sorted()
        #expect(Set(finishes).count == 5)
        #expect(zip(finishes, finishes.dropFirst()).allSatisfy { $1 - $0 >= 0.015 })
    }

    @Test func taskExecutorPreferenceRunsOnTheExecutorsThread() async {
        let executor = BlockingExecutor(label: "test.preference")
        let name = await withTaskExecutorPreference(executor) { () async -> String? in
            await Self.currentThreadName()
        }
        #expect(name == "test.preference")
    }

    @concurrent static func currentThreadName() async -> String? { threadName() }

    static func threadName() -> String? { Thread.current.name }

    @Test func runPropagatesErrors() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await BlockingExecutor.shared.run { throw Boom() } }
    }
}
