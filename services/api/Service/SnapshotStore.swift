import Foundation
import Synchronization

/// Holds the current ``Snapshot``; readers take it without a lock.
///
/// **Why this design.** The hot path is one atomic load (acquire) of an unmanaged pointer and a
/// retain: no lock, no contention between request threads. The only hazard of a bare atomic
/// pointer is a reader that has loaded the pointer but not yet retained it when the swapper
/// releases the old snapshot. So the swapper never releases at once: a replaced snapshot goes to
/// a retired list (behind a `Mutex`, touched only by the swapper) and is released on a later swap
/// or ``purgeRetired()`` once it has been retired for ``retirementGrace`` (1 s), which is many
/// orders of magnitude longer than the few instructions between load and retain. A request keeps
/// its own strong reference, so a slow client never holds a snapshot longer than its request.
/// The cost is one extra snapshot in memory for the grace period after a swap; the reloader
/// calls ``releaseRetired()`` before it builds another, so at most two snapshots are ever held
/// (the current one and the one being built), however quickly commits follow each other.
public final class SnapshotStore: Sendable {
    /// How long a replaced snapshot stays retained before it is released (default 1 s: long
    /// enough for any reader between load and retain, short enough that commits in quick
    /// succession are each served within the 2 s freshness target).
    public let retirementGrace: Duration

    private let current = Atomic<Unmanaged<Snapshot>?>(nil)
    private let retired = Mutex<[(snapshot: Unmanaged<Snapshot>, at: ContinuousClock.Instant)]>([])

    public init(initial: Snapshot? = nil, retirementGrace: Duration = .seconds(1)) {
        self.retirementGrace = retirementGrace
        if let initial { current.store(Unmanaged.passRetained(initial), ordering: .releasing) }
    }

    deinit {
        current.load(ordering: .acquiring)?.release()
        retired.withLock { list in list.forEach { $0.snapshot.release() } }
    }

    /// The current snapshot, or `nil` before the first load. Lock-free.
    public var snapshot: Snapshot? {
        guard let unmanaged = current.load(ordering: .acquiring) else { return nil }
        return unmanaged.retain().takeRetainedValue()
    }

    /// Makes `snapshot` current; the previous one is retired (see the type's documentation).
    public func replace(with snapshot: Snapshot) {
        let new = Unmanaged.passRetained(snapshot)
        retired.withLock { list in
            if let old = current.exchange(new, ordering: .acquiringAndReleasing) {
                list.append((old, .now))
            }
            purge(&list)
        }
    }

    /// Makes no snapshot current (every committed day was retracted): the API is not ready again
    /// until a day is committed. The previous snapshot is retired like a replaced one.
    public func clear() {
        retired.withLock { list in
            if let old = current.exchange(nil, ordering: .acquiringAndReleasing) {
                list.append((old, .now))
            }
            purge(&list)
        }
    }

    /// Releases the snapshots retired longer than ``retirementGrace`` ago; returns how many.
    @discardableResult
    public func purgeRetired() -> Int {
        retired.withLock { purge(&$0) }
    }

    /// Waits until every retired snapshot has been retired for ``retirementGrace`` (at most that
    /// long; at once when none is), then releases them; returns how many. Cancellation ends the
    /// wait early and releases only those already due.
    @discardableResult
    public func releaseRetired() async -> Int {
        var released = 0
        while true {
            let (count, due) = retired.withLock { list -> (Int, ContinuousClock.Instant?) in
                (purge(&list), list.map(\.at).max().map { $0 + retirementGrace })
            }
            released += count
            guard let due, !Task.isCancelled else { return released }
            try? await Task.sleep(until: due, clock: .continuous)
        }
    }

    /// The number of replaced snapshots still retained.
    public var retiredCount: Int { retired.withLock { $0.count } }

    @discardableResult
    private func purge(_ list: inout [(snapshot: Unmanaged<Snapshot>, at: ContinuousClock.Instant)]) -> Int {
        let cutoff = ContinuousClock.now - retirementGrace
        let before = list.count
        list.removeAll { entry in
            guard entry.at < cutoff else { return false }
            entry.snapshot.release()
            return true
        }
        return before - list.count
    }
}
