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

    /// The job runs on a thread the executor started and named (the name the OS shows),
    /// each time, with labels cut to the 15 bytes Linux keeps.
    @Test(arguments: ["test.own", "test.a-much-longer-label"])
    func runUsesTheExecutorsOwnThread(label: String) async throws {
        for _ in 0..<20 {
            let executor = BlockingExecutor(label: label)
            let name = try await executor.run { Self.osThreadName() }
            #expect(name == String(label.utf8.prefix(15))!)
        }
    }

    /// On Linux, Foundation's getter reads the OS thread's name (`pthread_getname_np`).
    static func osThreadName() -> String? { Thread.current.name }

    /// The `.offThePool` trait runs a test, async or not, on its dedicated threads (never on the
    /// cooperative pool, whose threads Swift names nothing of ours).
    @Test(.offThePool) func offThePoolRunsAnAsyncTestOnDedicatedThreads() async {
        #expect(Self.osThreadName() == "adrecs.test.cpu")
        async let child = Self.osThreadName()
        #expect(await child == "adrecs.test.cpu")
    }

    @Test(.offThePool) func offThePoolRunsASynchronousTestOnDedicatedThreads() {
        #expect(Self.osThreadName() == "adrecs.test.cpu")
    }

    @Test func runPropagatesErrors() async {
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await BlockingExecutor.shared.run { throw Boom() } }
    }
}

/// `BlockingExecutor.sleep(for:)`: waits on the executor's own threads, and ends early when cancelled.
@Suite(.timeLimit(.minutes(1)))
struct BlockingExecutorSleepTests {
    @Test func sleepsAtLeastItsDuration() async throws {
        let executor = BlockingExecutor(label: "test.sleep")
        let start = ContinuousClock.now
        try await executor.sleep(for: .milliseconds(150))
        #expect(ContinuousClock.now - start >= .milliseconds(150))
    }

    @Test func cancellationEndsTheSleepWithCancellationError() async throws {
        let executor = BlockingExecutor(label: "test.sleepc")
        let sleeper = Task { try await executor.sleep(for: .seconds(60)) }
        sleeper.cancel()
        let start = ContinuousClock.now
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(ContinuousClock.now - start < .seconds(20), "the sleep outlasted its cancellation")
    }
}
