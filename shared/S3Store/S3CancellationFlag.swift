import Synchronization

/// Set from a task-cancellation handler or a dropped stream; read by curl's progress and
/// write callbacks on the blocking thread to abort the transfer.
final class S3CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    var isCancelled: Bool { state.load(ordering: .acquiring) }

    func cancel() { state.store(true, ordering: .releasing) }
}
