import AdrecsConcurrency
import CZeroMQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension ZeroMQSocket {
    /// Sends `message`, its frames joined by `ZMQ_SNDMORE`.
    ///
    /// Blocks while the queue for the next peer is full (``ZeroMQSocketOptions/sendHighWaterMark``),
    /// at most ``ZeroMQSocketOptions/sendTimeout``; then throws an error with
    /// ``ZeroMQError/isTimeout``, e.g. "send timed out after 1.0 s: no peer took the message
    /// on tcp://127.0.0.1:5555".
    public func send(_ message: ZeroMQMessage) throws(ZeroMQError) {
        try send(frames: message.frames)
    }

    /// Sends a single-frame message; see ``send(_:)-(ZeroMQMessage)``.
    public func send(_ bytes: [UInt8]) throws(ZeroMQError) {
        try send(frames: [bytes])
    }

    /// Sends a multipart message of `frames`; see ``send(_:)-(ZeroMQMessage)``.
    public func send(frames: [[UInt8]]) throws(ZeroMQError) {
        let handle = try requireHandle("send")
        guard !frames.isEmpty else {
            throw ZeroMQError(code: EINVAL, operation: "send", detail: "a message needs at least one frame")
        }
        let lastIndex = frames.count - 1
        for (index, frame) in frames.enumerated() {
            let flags = index < lastIndex ? ZMQ_SNDMORE : 0
            // Later frames of a started message never wait for the HWM: libzmq counts whole messages.
            while frame.withUnsafeBytes({ zmq_send(handle, $0.baseAddress, $0.count, flags) }) < 0 {
                let code = zmq_errno()
                if code == EINTR { continue }
                throw sendError(code: code, frameCount: frames.count)
            }
        }
    }

    private func sendError(code: Int32, frameCount: Int, file: String = #fileID, line: Int = #line) -> ZeroMQError {
        let detail = switch code {
        case EAGAIN:
            "send timed out after \(options.sendTimeout.seconds) s: no peer took the message on \(endpointsText)"
        case ETERM:
            "the context was shut down"
        default:
            "cannot send a \(frameCount)-frame message on a \(type) socket (\(endpointsText))"
        }
        return ZeroMQError(code: code, operation: "send", detail: detail, file: file, line: line)
    }
}
