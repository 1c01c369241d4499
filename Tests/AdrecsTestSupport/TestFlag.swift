import Foundation
import Synchronization

/// A flag one side sets and the other waits for, by polling: from a task (`waitUntilSet`) or
/// from a thread that may block, such as a pool's connection closure (`blockUntilSet`).
/// Tests order events with it instead of sleeping for a guessed time.
public final class TestFlag: Sendable {
    private let value = Atomic(false)

    public init() {}

    public var isSet: Bool { value.load(ordering: .acquiring) }

    public func set() { value.store(true, ordering: .releasing) }

    /// True once set; false if `timeout` passed first.
    public func waitUntilSet(timeout: Duration = .seconds(20)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isSet {
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    /// Blocks the calling thread; true once set, false if `timeout` passed first.
    public func blockUntilSet(timeout: Duration = .seconds(20)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !isSet {
            if ContinuousClock.now >= deadline { return false }
            usleep(1_000)
        }
        return true
    }
}
