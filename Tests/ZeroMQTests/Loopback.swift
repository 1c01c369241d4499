import ZeroMQ

/// Helpers that build sockets for tests.
enum Loopback {
    /// A loopback tcp endpoint with a port nobody listens on: bound once, then released.
    ///
    /// The probe has its own context, whose termination on return waits until libzmq's I/O
    /// thread has really closed the listening socket.
    static func unusedTCPEndpoint() throws -> String {
        let context = try ZeroMQContext()
        let probe = try ZeroMQSocket(context: context, type: .pull, options: ZeroMQSocketOptions(linger: .zero))
        let endpoint = try probe.bind("tcp://127.0.0.1:*")
        probe.close()
        return endpoint
    }

    /// The bytes of `text`.
    static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }

    /// `bytes` as text.
    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
