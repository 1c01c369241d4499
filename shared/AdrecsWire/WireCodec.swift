import Foundation

/// Encodes and decodes ``WireMessage``s as JSON objects with a `type` and a `version` beside the body's fields.
public enum WireCodec {
    private struct Header: Decodable {
        var type: String?
        var version: Int?
    }

    private struct Envelope<Message: WireMessage>: Encodable {
        var message: Message

        enum CodingKeys: String, CodingKey { case type }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(Message.type, forKey: .type)
            try message.encode(to: encoder)
        }
    }

    public static func encode<Message: WireMessage>(_ message: Message) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain Codable structs of strings and integers cannot fail.
        return Array(try! encoder.encode(Envelope(message: message)))
    }

    /// Decodes `bytes` as `Message`, checking its type and version before its fields.
    public static func decode<Message: WireMessage>(_: Message.Type, from bytes: [UInt8]) throws(WireError) -> Message {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw .malformed(type: Message.type, reason: "not a JSON object")
        }
        guard let type = header.type else { throw .malformed(type: Message.type, reason: "no type") }
        guard type == Message.type else { throw .unexpectedType(expected: Message.type, actual: type) }
        guard let version = header.version else { throw .malformed(type: Message.type, reason: "no version") }
        guard version == Message.currentVersion else {
            throw .unsupportedVersion(type: type, version: version, supported: Message.currentVersion)
        }
        do {
            return try decoder.decode(Message.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw .malformed(type: Message.type, reason: "missing field \(key.stringValue)")
        } catch let DecodingError.dataCorrupted(context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw .malformed(type: Message.type, reason: "\(field): \(context.debugDescription)")
        } catch {
            throw .malformed(type: Message.type, reason: "a field has the wrong type")
        }
    }
}

extension WireCodec {
    /// The `runID` of a message that could not be decoded, when its JSON still holds one.
    public static func runID(ofUndecodable payload: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any],
            let runID = object["runID"] as? String, !runID.isEmpty
        else { return nil }
        return runID
    }
}

/// A message one stage hands the next over ZeroMQ. It carries S3 keys and counts, never data.
///
/// Every message has a `version`. A breaking change gets a new type (`IngestCompletedV2`),
/// and a peer that receives a version it does not know rejects it with ``WireError/unsupportedVersion(type:version:supported:)``.
public protocol WireMessage: Codable, Sendable, Equatable {
    /// The message type's name on the wire, e.g. `ingest.completed`.
    static var type: String { get }
    /// The version this build writes and accepts.
    static var currentVersion: Int { get }
    var version: Int { get }
}
