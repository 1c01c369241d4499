/// A notification received on a listened channel, or a resync marker from ``PGListener``.
public struct PGNotification: Sendable, Hashable {
    /// The channel it was sent on.
    public let channel: String
    /// The payload (`""` when none was given).
    public let payload: String
    /// The server process that sent it; `0` for a resync marker.
    public let pid: Int32
    /// `true` for the marker ``PGListener`` yields once per channel each time `LISTEN` takes
    /// effect: at the start and after every reconnect. Notifications sent before a marker may
    /// have been missed, so reload whatever state they describe.
    public let isResync: Bool

    public init(channel: String, payload: String, pid: Int32, isResync: Bool = false) {
        self.channel = channel
        self.payload = payload
        self.pid = pid
        self.isResync = isResync
    }
}
