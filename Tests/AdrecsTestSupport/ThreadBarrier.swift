import Foundation
import Synchronization

/// Proves that blocking jobs run at the same time, without timing them: each job arrives and then
/// blocks its thread until `parties` jobs have arrived. Jobs that shared a few threads could never
/// all arrive, so their `arriveAndWait` gives up after `timeout` and returns false.
public final class ThreadBarrier: Sendable {
    private let arrived = Atomic<Int>(0)
    public let parties: Int

    public init(parties: Int) {
        self.parties = parties
    }

    /// Blocks the calling thread; true when all parties arrived within `timeout`.
    public func arriveAndWait(timeout: Duration = .seconds(20)) -> Bool {
        arrived.add(1, ordering: .relaxed)
        let deadline = ContinuousClock.now + timeout
        while arrived.load(ordering: .relaxed) < parties {
            if ContinuousClock.now >= deadline { return false }
            usleep(1_000)
        }
        return true
    }
}
