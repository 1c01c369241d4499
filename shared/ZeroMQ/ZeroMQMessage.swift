/// One ZeroMQ message: one or more frames, delivered atomically.
///
/// Single-frame messages carry one payload (for adrecs a small JSON document).
public struct ZeroMQMessage: Sendable, Hashable {
    /// The frames, in order. Never empty for a received message.
    public var frames: [[UInt8]]

    /// A message of the given frames (`ZMQ_SNDMORE` joins them on send).
    public init(frames: [[UInt8]]) {
        self.frames = frames
    }

    /// A single-frame message.
    public init(_ bytes: [UInt8]) {
        self.frames = [bytes]
    }

    /// The last frame: the payload of a single-frame message or of a `[topic, payload]` pair.
    public var payload: [UInt8] {
        frames.last ?? []
    }
}
