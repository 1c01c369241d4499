import AdrecsConcurrency
import AdrecsTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(1))) struct BlockingExecutorTests {
    /// Sixteen jobs that each block their thread are all blocked at once: on a few shared
    /// threads (the cooperative pool's, or a concurrent dispatch queue's) they could not be.
    @Test func concurrentJobsBlockOnTheirOwnThreads() async throws {
        let executor = BlockingExecutor(label: "test.blocking")
        let barrier = ThreadBarrier(parties: 16)
        let together = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask { try await executor.run { barrier.arriveAndWait() } }
            }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(together)
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

    @Test func runUsesTheExecutorsOwnThread() async throws {
        let executor = BlockingExecutor(label: "test.own")
        let name = try await executor.run { Self.threadName() }
        #expect(name == "test.own")
    }

    static func threadName() -> String? { Thread.current.name }

    @Test func runPropagatesErrors() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await BlockingExecutor.shared.run { throw Boom() } }
    }
}
