public import AdrecsRuntime
public import AdrecsWire

/// The error type of a stage service (ingest, models, writer): the metrics' cause of each of its
/// errors, and whether it is worth another attempt.
public protocol StageError: Error, Sendable, CustomStringConvertible {
    /// The `cause` label for `adrecs_stage_failures_total`.
    var failureCause: FailureCause { get }

    /// The error may pass by itself (a dependency unreachable for longer than the service's own
    /// retries): the stage is worth another attempt. Default `false`.
    var isTransient: Bool { get }
}

extension StageError {
    public var isTransient: Bool { false }
}

/// The message that handed a stage its work is missing or unreadable: the stage fails at once.
public struct HandoverError: StageError, Equatable {
    public var description: String
    public var failureCause: FailureCause { .input }

    /// `message` decoded as `Message`; throws naming the message type and why.
    public static func decode<Message: WireMessage>(_: Message.Type, from message: [UInt8]?) throws(HandoverError) -> Message {
        guard let message else { throw HandoverError(description: "no \(Message.self) message recorded") }
        do {
            return try WireCodec.decode(Message.self, from: message)
        } catch {
            throw HandoverError(description: "unreadable \(Message.self) message: \(error)")
        }
    }
}
