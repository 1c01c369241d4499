import AdrecsConcurrency
import Synchronization

/// A `Sendable`, async front for a receiving (PULL) socket.
///
/// The receiver takes over a configured ``ZeroMQSocket``. Each receive runs on the
/// receiver's own serial `BlockingExecutor`, never on the cooperative pool, as a `zmq_poll`
/// loop that wakes every ``pollInterval`` to notice task cancellation and ``close()``.
///
/// A service iterates ``messages`` until graceful shutdown:
///
/// ```swift
/// func run() async throws {
///     let pull = try ZeroMQSocket(context: context, type: .pull)
///     try pull.bind("tcp://0.0.0.0:5557")
///     let receiver = ZeroMQReceiver(pull)
///     for try await message in receiver.messages.cancelOnGracefulShutdown() {
///         try await handle(message.payload)
///     }
///     await receiver.close()
/// }
/// ```
///
/// Messages already queued in the socket when it closes are lost: PUSH/PULL has no
/// acknowledgement, so stages must tolerate loss and redelivery.
public final class ZeroMQReceiver: Sendable {
    /// The socket pattern.
    public let type: ZeroMQSocketType
    /// The socket's endpoints when the receiver took it over.
    public let endpoints: [String]
    /// How often a waiting receive checks for cancellation and ``close()``.
    public let pollInterval: Duration

    private let socket: Mutex<ZeroMQSocket>
    private let executor: BlockingExecutor
    private let closeRequested = Atomic<Bool>(false)

    /// Takes over `socket`, which must already be bound or connected.
    ///
    /// - Precondition: `socket` is a ``ZeroMQSocketType/pull`` or ``ZeroMQSocketType/sub`` socket.
    /// - Parameters:
    ///   - pollInterval: the longest a cancelled or closed receive keeps waiting.
    ///   - label: names the executor's queue in stack traces.
    public init(
        _ socket: sending ZeroMQSocket,
        pollInterval: Duration = .milliseconds(100),
        label: String = "adrecs.zeromq.receiver"
    ) {
        precondition(socket.type == .pull, "ZeroMQReceiver needs a PULL socket")
        self.type = socket.type
        self.endpoints = socket.endpoints
        self.pollInterval = pollInterval
        self.socket = Mutex(socket)
        self.executor = BlockingExecutor(label: label, concurrent: false)
    }

    /// The messages, as they arrive, until the task is cancelled, the receiver is closed or
    /// the context is shut down; then the sequence ends without error.
    public var messages: Messages {
        Messages(receiver: self)
    }

    /// Waits for the next message; `nil` once the task is cancelled, the receiver is closed
    /// or the context is shut down (noticed within ``pollInterval``).
    public func receive() async throws(ZeroMQError) -> ZeroMQMessage? {
        if Task.isCancelled || closeRequested.load(ordering: .acquiring) { return nil }
        return try await withTaskExecutorPreference(executor) { () async throws(ZeroMQError) -> ZeroMQMessage? in
            try await self.receiveOnExecutor(until: nil)
        }
    }

    /// Waits at most `timeout` (rounded up to ``pollInterval``) for the next message; `nil` when
    /// none came, or once the task is cancelled, the receiver is closed or the context is shut down.
    public func receive(waitingAtMost timeout: Duration) async throws(ZeroMQError) -> ZeroMQMessage? {
        if Task.isCancelled || closeRequested.load(ordering: .acquiring) { return nil }
        let deadline = ContinuousClock.now + timeout
        return try await withTaskExecutorPreference(executor) { () async throws(ZeroMQError) -> ZeroMQMessage? in
            try await self.receiveOnExecutor(until: deadline)
        }
    }

    /// Ends every receive within ``pollInterval``, then closes the socket.
    public func close() async {
        closeRequested.store(true, ordering: .releasing)
        await withTaskExecutorPreference(executor) {
            await self.closeOnExecutor()
        }
    }

    @concurrent
    private func receiveOnExecutor(until deadline: ContinuousClock.Instant?) async throws(ZeroMQError) -> ZeroMQMessage? {
        while !Task.isCancelled && !closeRequested.load(ordering: .acquiring) {
            if let deadline, ContinuousClock.now >= deadline { return nil }
            let (message, finished) = try socket.withLock { (socket) throws(ZeroMQError) -> (ZeroMQMessage?, Bool) in
                if socket.isClosed { return (nil, true) }
                do throws(ZeroMQError) {
                    return (try socket.receive(waitingAtMost: pollInterval), false)
                } catch {
                    guard error.isContextTerminated else { throw error }
                    // A shut-down context waits for this socket to close before it can terminate.
                    socket.close()
                    return (nil, true)
                }
            }
            if let message { return message }
            if finished { return nil }
        }
        return nil
    }

    @concurrent
    private func closeOnExecutor() async {
        socket.withLock { $0.close() }
    }
}
