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
    /// Receives the next whole message, blocking at most ``ZeroMQSocketOptions/receiveTimeout``;
    /// then throws an error with ``ZeroMQError/isTimeout``.
    public func receive() throws(ZeroMQError) -> ZeroMQMessage {
        let handle = try requireHandle("receive")
        guard let message = try receiveFrames(handle, flags: 0) else {
            throw ZeroMQError(
                code: EAGAIN,
                operation: "receive",
                detail: "receive timed out after \(options.receiveTimeout.seconds) s on \(endpointsText)"
            )
        }
        return message
    }

    /// Waits at most `timeout` for a message (`zmq_poll`) and receives it; `nil` if none came.
    public func receive(waitingAtMost timeout: Duration) throws(ZeroMQError) -> ZeroMQMessage? {
        let handle = try requireHandle("receive")
        guard try waitForInput(handle, timeout: timeout) else { return nil }
        return try receiveFrames(handle, flags: ZMQ_DONTWAIT)
    }

    /// `true` when a message can be received now or arrives within `timeout`.
    private func waitForInput(_ handle: UnsafeMutableRawPointer, timeout: Duration) throws(ZeroMQError) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var item = zmq_pollitem_t(socket: handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)
        while true {
            let milliseconds = clock.now.duration(to: deadline).clampedMilliseconds
            let ready = zmq_poll(&item, 1, Int(milliseconds))
            if ready >= 0 { return ready > 0 }
            let code = zmq_errno()
            if code == EINTR { continue }
            throw receiveError(code: code, operation: "zmq_poll")
        }
    }

    /// Receives all frames of one message; `nil` when the first frame times out or, with
    /// `ZMQ_DONTWAIT`, is not there. Later frames are always there: messages arrive whole.
    private func receiveFrames(_ handle: UnsafeMutableRawPointer, flags: Int32) throws(ZeroMQError) -> ZeroMQMessage? {
        var part = zmq_msg_t()
        zmq_msg_init(&part)
        defer { zmq_msg_close(&part) }
        var frames: [[UInt8]] = []
        repeat {
            while zmq_msg_recv(&part, handle, frames.isEmpty ? flags : 0) < 0 {
                let code = zmq_errno()
                if code == EINTR { continue }
                if code == EAGAIN && frames.isEmpty { return nil }
                throw receiveError(code: code, operation: "receive")
            }
            let size = zmq_msg_size(&part)
            frames.append(size == 0 ? [] : Array(UnsafeRawBufferPointer(start: zmq_msg_data(&part), count: size)))
        } while zmq_msg_more(&part) != 0
        return ZeroMQMessage(frames: frames)
    }

    private func receiveError(code: Int32, operation: String, file: String = #fileID, line: Int = #line) -> ZeroMQError {
        let detail = code == ETERM
            ? "the context was shut down"
            : "cannot receive on a \(type) socket (\(endpointsText))"
        return ZeroMQError(code: code, operation: operation, detail: detail, file: file, line: line)
    }
}
