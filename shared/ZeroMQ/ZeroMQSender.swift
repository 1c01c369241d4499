import AdrecsConcurrency
import Synchronization

/// A `Sendable`, async front for a sending (PUSH) socket.
///
/// The sender takes over a configured ``ZeroMQSocket`` and runs every call on it on its own
/// serial `BlockingExecutor`, never on the cooperative pool; a `Mutex` gives the socket a
/// single owner at a time (and the memory fence libzmq asks for when a socket changes
/// threads). Any task may call ``send(_:)-(ZeroMQMessage)`` concurrently; sends are serialized.
///
/// ```swift
/// let push = try ZeroMQSocket(context: context, type: .push)
/// try push.connect("tcp://models:5557")
/// let sender = ZeroMQSender(push)
/// try await sender.send(Array(json.utf8))
/// ```
public final class ZeroMQSender: Sendable {
    /// The socket pattern.
    public let type: ZeroMQSocketType
    /// The socket's endpoints when the sender took it over.
    public let endpoints: [String]
    /// The socket's options.
    public let options: ZeroMQSocketOptions

    private let socket: Mutex<ZeroMQSocket>
    private let executor: BlockingExecutor

    /// Takes over `socket`, which must already be bound or connected.
    ///
    /// - Precondition: `socket` is a ``ZeroMQSocketType/push`` or ``ZeroMQSocketType/pub`` socket.
    /// - Parameter label: names the executor's queue in stack traces.
    public init(_ socket: sending ZeroMQSocket, label: String = "adrecs.zeromq.sender") {
        precondition(socket.type == .push, "ZeroMQSender needs a PUSH socket")
        self.type = socket.type
        self.endpoints = socket.endpoints
        self.options = socket.options
        self.socket = Mutex(socket)
        self.executor = BlockingExecutor(label: label, concurrent: false)
    }

    /// Sends `message`, waiting at most ``ZeroMQSocketOptions/sendTimeout`` for queue room.
    ///
    /// A PUSH with no peer taking messages fails with ``ZeroMQError/isTimeout`` ("send timed
    /// out after 5.0 s: no peer took the message on …") once its queue is full. The wait is
    /// not interrupted by task cancellation; ``ZeroMQContext/shutdown()`` interrupts it.
    public func send(_ message: ZeroMQMessage) async throws(ZeroMQError) {
        try await withTaskExecutorPreference(executor) { () async throws(ZeroMQError) in
            try await self.sendOnExecutor(message)
        }
    }

    /// Sends a single-frame message; see ``send(_:)-(ZeroMQMessage)``.
    public func send(_ bytes: [UInt8]) async throws(ZeroMQError) {
        try await send(ZeroMQMessage(bytes))
    }

    /// Sends a multipart message; see ``send(_:)-(ZeroMQMessage)``.
    public func send(frames: [[UInt8]]) async throws(ZeroMQError) {
        try await send(ZeroMQMessage(frames: frames))
    }

    /// Closes the socket after any send in progress; later sends fail with
    /// ``ZeroMQError/isSocketClosed``. Unsent messages linger for ``ZeroMQSocketOptions/linger``.
    public func close() async {
        await withTaskExecutorPreference(executor) {
            await self.closeOnExecutor()
        }
    }

    @concurrent
    private func sendOnExecutor(_ message: ZeroMQMessage) async throws(ZeroMQError) {
        try socket.withLock { (socket) throws(ZeroMQError) in
            do throws(ZeroMQError) {
                try socket.send(message)
            } catch {
                // A shut-down context waits for this socket to close before it can terminate.
                if error.isContextTerminated { socket.close() }
                throw error
            }
        }
    }

    @concurrent
    private func closeOnExecutor() async {
        socket.withLock { $0.close() }
    }
}
