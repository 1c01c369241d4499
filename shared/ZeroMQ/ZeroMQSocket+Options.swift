import AdrecsConcurrency
import CZeroMQ

extension ZeroMQSocket {
    /// Sets linger, high-water marks and timeouts; linger and timeouts are never `-1`.
    func apply(_ options: ZeroMQSocketOptions) throws(ZeroMQError) {
        try setIntegerOption(ZMQ_LINGER, options.linger.clampedMilliseconds, name: "ZMQ_LINGER")
        try setIntegerOption(ZMQ_SNDHWM, Int32(clamping: max(options.sendHighWaterMark, 0)), name: "ZMQ_SNDHWM")
        try setIntegerOption(ZMQ_RCVHWM, Int32(clamping: max(options.receiveHighWaterMark, 0)), name: "ZMQ_RCVHWM")
        try setIntegerOption(ZMQ_SNDTIMEO, options.sendTimeout.clampedMilliseconds, name: "ZMQ_SNDTIMEO")
        try setIntegerOption(ZMQ_RCVTIMEO, options.receiveTimeout.clampedMilliseconds, name: "ZMQ_RCVTIMEO")
    }

    /// The options as libzmq reports them now (`zmq_getsockopt`), to check what was applied.
    func currentOptions() throws(ZeroMQError) -> ZeroMQSocketOptions {
        ZeroMQSocketOptions(
            linger: .milliseconds(try integerOption(ZMQ_LINGER, name: "ZMQ_LINGER")),
            sendHighWaterMark: Int(try integerOption(ZMQ_SNDHWM, name: "ZMQ_SNDHWM")),
            receiveHighWaterMark: Int(try integerOption(ZMQ_RCVHWM, name: "ZMQ_RCVHWM")),
            sendTimeout: .milliseconds(try integerOption(ZMQ_SNDTIMEO, name: "ZMQ_SNDTIMEO")),
            receiveTimeout: .milliseconds(try integerOption(ZMQ_RCVTIMEO, name: "ZMQ_RCVTIMEO"))
        )
    }

    func setIntegerOption(_ option: Int32, _ value: Int32, name: String) throws(ZeroMQError) {
        let handle = try requireHandle("setsockopt(\(name))")
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw .last("setsockopt(\(name))", detail: "cannot set \(name) to \(value) on a \(type) socket")
        }
    }

    func integerOption(_ option: Int32, name: String) throws(ZeroMQError) -> Int32 {
        let handle = try requireHandle("getsockopt(\(name))")
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, option, &value, &size) == 0 else {
            throw .last("getsockopt(\(name))")
        }
        return value
    }
}
