/// What ends a receiver's message loop in ``ZeroMQTests/ReceiverShutdownTests``.
enum ShutdownTrigger: String, CaseIterable, Sendable, CustomStringConvertible {
    case taskCancellation
    case receiverClose
    case contextShutdown

    var description: String { rawValue }
}
