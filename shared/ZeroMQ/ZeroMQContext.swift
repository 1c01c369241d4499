import CZeroMQ

/// A libzmq context: the I/O threads behind every socket created from it.
///
/// Create one per process and share it. Every ``ZeroMQSocket`` keeps its context alive; when
/// the context and all its sockets are released, `deinit` calls `zmq_ctx_term`, which waits
/// at most for the largest ``ZeroMQSocketOptions/linger`` of a socket that still had unsent
/// messages (linger is always finite here, so termination never hangs).
///
/// ```swift
/// let context = try ZeroMQContext()
/// ```
///
/// `@unchecked Sendable`: libzmq documents contexts as thread safe (zmq(7): "A ØMQ context is
/// thread safe and may be shared among as many application threads as necessary"), and this
/// box stores nothing but the immutable handle. Sockets are not thread safe and are not
/// `Sendable`; see ``ZeroMQSocket``.
public final class ZeroMQContext: @unchecked Sendable {
    /// The `void *` returned by `zmq_ctx_new`.
    let handle: UnsafeMutableRawPointer

    /// Creates a context.
    /// - Parameter ioThreads: libzmq I/O threads (`ZMQ_IO_THREADS`); one serves about a
    ///   gigabyte per second.
    public init(ioThreads: Int = 1) throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else {
            throw .last("zmq_ctx_new")
        }
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: max(ioThreads, 1))) != 0 {
            let error = ZeroMQError.last("zmq_ctx_set(ZMQ_IO_THREADS)")
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    /// Shuts the context down without waiting (`zmq_ctx_shutdown`).
    ///
    /// Blocking calls on its sockets return `ETERM` at once, receive loops of
    /// ``ZeroMQReceiver`` end, sends fail with ``ZeroMQError/isContextTerminated``, and no
    /// new socket can be created. Safe to call from any thread, more than once.
    public func shutdown() {
        zmq_ctx_shutdown(handle)
    }

    deinit {
        // All sockets are closed by now (each holds a strong reference to this context),
        // so this waits only for lingering messages, bounded by their finite ZMQ_LINGER.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }
}
