import CZeroMQ

/// One libzmq socket, owned by one thread at a time.
///
/// libzmq sockets are not thread safe, so this class is not `Sendable`: create and configure
/// it (``bind(_:)``, ``connect(_:)``), then hand it to a
/// ``ZeroMQSender`` or ``ZeroMQReceiver``, which move it onto their own serial
/// `BlockingExecutor` and give async, `Sendable` access. ``send(_:)-(ZeroMQMessage)`` and
/// ``receive()`` block (up to the configured timeouts), so call them directly only from a
/// thread that may block, never from Swift's cooperative pool.
///
/// Every ``ZeroMQSocketOptions`` value is applied at creation. The socket is closed by
/// ``close()`` or in `deinit`; `zmq_close` never blocks.
///
/// ```swift
/// let pull = try ZeroMQSocket(context: context, type: .pull)
/// let endpoint = try pull.bind("tcp://127.0.0.1:*")   // "tcp://127.0.0.1:41234"
/// let receiver = ZeroMQReceiver(pull)
/// ```
public final class ZeroMQSocket {
    /// The socket pattern.
    public let type: ZeroMQSocketType
    /// The options applied at creation.
    public let options: ZeroMQSocketOptions
    /// Endpoints bound (as resolved, e.g. with the ephemeral port) or connected, in order.
    public private(set) var endpoints: [String] = []

    /// The `void *` from `zmq_socket`; `nil` once closed.
    private var handle: UnsafeMutableRawPointer?
    /// Keeps the context alive, so that it terminates only after this socket is closed.
    private var context: ZeroMQContext?

    /// Creates a socket and applies `options` to it.
    public init(
        context: ZeroMQContext,
        type: ZeroMQSocketType,
        options: ZeroMQSocketOptions = ZeroMQSocketOptions()
    ) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else {
            throw .last("zmq_socket(\(type))")
        }
        self.type = type
        self.options = options
        self.handle = handle
        self.context = context
        do {
            try apply(options)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// `true` once ``close()`` ran.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket (`zmq_close`). Unsent messages linger in the context for at most
    /// ``ZeroMQSocketOptions/linger``. Idempotent.
    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
        self.context = nil
    }

    /// Binds to `endpoint` (`tcp://127.0.0.1:5555`, `tcp://127.0.0.1:*`, `inproc://name`,
    /// `ipc:///path`) and returns the endpoint actually bound (`ZMQ_LAST_ENDPOINT`), which
    /// names the port the system chose for `*`.
    @discardableResult
    public func bind(_ endpoint: String) throws(ZeroMQError) -> String {
        let handle = try requireHandle("bind")
        guard zmq_bind(handle, endpoint) == 0 else {
            throw .last("bind", detail: "cannot bind \(type) socket to \(endpoint)")
        }
        let bound = try lastEndpoint()
        endpoints.append(bound)
        return bound
    }

    /// Connects to `endpoint`. For tcp this returns at once; libzmq connects, and reconnects,
    /// in the background, queueing messages for the peer meanwhile (up to the HWM).
    public func connect(_ endpoint: String) throws(ZeroMQError) {
        let handle = try requireHandle("connect")
        guard zmq_connect(handle, endpoint) == 0 else {
            throw .last("connect", detail: "cannot connect \(type) socket to \(endpoint)")
        }
        endpoints.append(endpoint)
    }

    /// The last endpoint bound or connected (`ZMQ_LAST_ENDPOINT`); empty if none.
    public func lastEndpoint() throws(ZeroMQError) -> String {
        let handle = try requireHandle("getsockopt(ZMQ_LAST_ENDPOINT)")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw .last("getsockopt(ZMQ_LAST_ENDPOINT)")
        }
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The open handle, or a "socket is closed" error.
    func requireHandle(_ operation: String, file: String = #fileID, line: Int = #line) throws(ZeroMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw .closed(operation, file: file, line: line)
        }
        return handle
    }

    /// The endpoints for error messages.
    var endpointsText: String {
        endpoints.isEmpty ? "no endpoint" : endpoints.joined(separator: ", ")
    }
}
