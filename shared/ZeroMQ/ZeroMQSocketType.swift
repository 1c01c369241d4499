import CZeroMQ

/// The socket patterns this module supports.
public enum ZeroMQSocketType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Hands each message to one connected ``pull`` peer, round robin (`ZMQ_PUSH`).
    case push
    /// Takes messages from ``push`` peers, fair-queued (`ZMQ_PULL`).
    case pull
    /// Sends each message to every matching ``sub`` peer; never blocks, drops on HWM (`ZMQ_PUB`).
    case pub
    /// Receives ``pub`` messages whose first frame starts with a subscribed prefix (`ZMQ_SUB`).
    case sub

    var rawValue: Int32 {
        switch self {
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        }
    }

    public var description: String {
        switch self {
        case .push: "PUSH"
        case .pull: "PULL"
        case .pub: "PUB"
        case .sub: "SUB"
        }
    }
}
