/// Options set on every socket when it is created.
///
/// Durations are applied in whole milliseconds and clamped to `0...Int32.max` ms, so neither
/// linger nor a timeout can ever be infinite (`-1`).
public struct ZeroMQSocketOptions: Sendable, Hashable {
    /// How long unsent messages are kept after close, for delivery (`ZMQ_LINGER`).
    /// Context termination waits at most this long.
    public var linger: Duration
    /// Outgoing messages queued per peer before sends block (`ZMQ_SNDHWM`); `0` means no limit.
    public var sendHighWaterMark: Int
    /// Incoming messages queued per peer before the peer is pushed back (`ZMQ_RCVHWM`);
    /// `0` means no limit.
    public var receiveHighWaterMark: Int
    /// How long a send waits for room before failing with `EAGAIN` (`ZMQ_SNDTIMEO`).
    public var sendTimeout: Duration
    /// How long ``ZeroMQSocket/receive()`` waits before failing with `EAGAIN` (`ZMQ_RCVTIMEO`).
    public var receiveTimeout: Duration

    public init(
        linger: Duration = .seconds(1),
        sendHighWaterMark: Int = 1000,
        receiveHighWaterMark: Int = 1000,
        sendTimeout: Duration = .seconds(5),
        receiveTimeout: Duration = .seconds(1)
    ) {
        self.linger = linger
        self.sendHighWaterMark = sendHighWaterMark
        self.receiveHighWaterMark = receiveHighWaterMark
        self.sendTimeout = sendTimeout
        self.receiveTimeout = receiveTimeout
    }
}
