public import AdrecsRuntime
public import AdrecsWire
public import Logging

/// Decoding the messages a stage service pulls.
public enum StageInbox {
    /// `payload` as `Message`, or `nil` once a message that cannot be decoded is logged and
    /// counted as an input failure; `reject` then gets its run ID (when its JSON still holds one)
    /// and the ledger's text, `unreadable <Message> message: <error>`. Log entries carry the
    /// caller's module, file and line.
    public static func decode<Message: WireMessage>(
        _: Message.Type, from payload: [UInt8], metrics: StageMetrics, logger: Logger,
        file: String = #fileID, function: String = #function, line: UInt = #line,
        reject: (_ runID: String, _ text: String) async -> Void
    ) async -> Message? {
        do {
            return try WireCodec.decode(Message.self, from: payload)
        } catch {
            let runID = WireRunID.read(payload)
            logger.error(
                "Message rejected", metadata: [LogKeys.error: "\(error)", LogKeys.runID: "\(runID ?? "unknown")"],
                file: file, function: function, line: line)
            metrics.recordFailure(.input)
            if let runID {
                await reject(runID, "unreadable \(Message.self) message: \(error)")
            }
            return nil
        }
    }
}
