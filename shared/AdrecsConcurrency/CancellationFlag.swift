import Synchronization

/// Set from a task-cancellation handler (or a dropped stream); read by code blocked on another
/// thread (curl's callbacks, a blocking sleep) to stop early.
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    public init() {}

    public var isCancelled: Bool { state.load(ordering: .acquiring) }

    public func cancel() { state.store(true, ordering: .releasing) }
}
