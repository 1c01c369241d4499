import CZeroMQ

/// The socket patterns this module supports: the pipeline's PUSH/PULL hand-over.
public enum ZeroMQSocketType: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Hands each message to one connected ``pull`` peer, round robin (`ZMQ_PUSH`).
    case push
    /// Takes messages from ``push`` peers, fair-queued (`ZMQ_PULL`).
    case pull

    var rawValue: Int32 {
        switch self {
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        }
    }

    public var description: String {
        switch self {
        case .push: "PUSH"
        case .pull: "PULL"
        }
    }
}
