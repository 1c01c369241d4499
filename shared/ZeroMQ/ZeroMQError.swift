import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error type of the `ZeroMQ` module.
///
/// It carries libzmq's error number (`code`, an errno value such as `EAGAIN`, or libzmq's own
/// such as `ETERM`), `zmq_strerror`'s text for it, the failed operation, an optional
/// human-readable detail and the place in this module where the call failed.
public struct ZeroMQError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The errno value reported by libzmq (`zmq_errno()`).
    public let code: Int32
    /// `zmq_strerror(code)`.
    public let message: String
    /// The operation that failed, such as `"send"`, `"bind"` or `"setsockopt(ZMQ_LINGER)"`.
    public let operation: String
    /// What went wrong in words, when more is known than `message` says.
    public let detail: String?
    /// `#fileID` of the failing call.
    public let file: String
    /// `#line` of the failing call.
    public let line: Int

    public init(
        code: Int32,
        operation: String,
        detail: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = String(cString: zmq_strerror(code))
        self.operation = operation
        self.detail = detail
        self.file = file
        self.line = line
    }

    /// `true` when a send or receive gave up after its timeout (`EAGAIN`).
    public var isTimeout: Bool { code == EAGAIN }

    /// `true` when the context was shut down or terminated (`ETERM`).
    public var isContextTerminated: Bool { code == ETERM }

    /// `true` when the socket was already closed.
    public var isSocketClosed: Bool { code == ENOTSOCK }

    public var description: String {
        let what = detail.map { "\(operation): \($0)" } ?? "\(operation) failed"
        return "ZeroMQ \(what) (errno \(code): \(message)) at \(file):\(line)"
    }

    /// The error libzmq reports for the calling thread's last failed call.
    static func last(
        _ operation: String,
        detail: String? = nil,
        file: String = #fileID,
        line: Int = #line
    ) -> ZeroMQError {
        ZeroMQError(code: zmq_errno(), operation: operation, detail: detail, file: file, line: line)
    }

    /// The error for an operation on a socket that was closed.
    static func closed(_ operation: String, file: String = #fileID, line: Int = #line) -> ZeroMQError {
        ZeroMQError(code: ENOTSOCK, operation: operation, detail: "the socket is closed", file: file, line: line)
    }
}
