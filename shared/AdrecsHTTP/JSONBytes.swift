public import Hummingbird

/// A minimal JSON writer into a `ByteBuffer`: the API pre-encodes its responses with it once per
/// snapshot, and every HTTP endpoint writes its error body with ``errorResponse(_:code:message:headers:)``.
public struct JSONBytes {
    public var buffer: ByteBuffer

    public init(capacity: Int) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
    }

    /// Appends `text` as is (punctuation, keys known to need no escaping).
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { _ = buffer.writeBytes($0) }
    }

    public mutating func raw(_ bytes: ByteBuffer) {
        var copy = bytes
        buffer.writeBuffer(&copy)
    }

    /// Appends `text` as a JSON string, escaping quotes, backslashes and control characters.
    public mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw(#"\""#)
            case UInt8(ascii: "\\"): raw(#"\\"#)
            case UInt8(ascii: "\n"): raw(#"\n"#)
            case UInt8(ascii: "\r"): raw(#"\r"#)
            case UInt8(ascii: "\t"): raw(#"\t"#)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                buffer.writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                   hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: buffer.writeInteger(byte)
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    public mutating func int(_ value: Int?) {
        guard let value else { return raw("null") }
        buffer.writeString(String(value))
    }

    /// Finite doubles in Swift's shortest round-trip form (valid JSON numbers); others as `null`.
    public mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return raw("null") }
        buffer.writeString(value.description)
    }
}

extension JSONBytes {
    /// The one JSON error body of adrecs' HTTP endpoints, `{"error":{"code":…,"message":…}}`, with
    /// `Content-Type: application/json; charset=utf-8`, `Cache-Control: no-store` and `headers`.
    /// A 500 answers the code `internal_error`, as the API's OpenAPI document names it.
    public static func errorResponse(
        _ status: HTTPResponse.Status, code: String, message: String, headers extra: HTTPFields = [:]
    ) -> Response {
        var json = JSONBytes(capacity: 64 + message.utf8.count)
        json.raw(#"{"error":{"code":"#)
        json.string(code)
        json.raw(#","message":"#)
        json.string(message)
        json.raw("}}")
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: json.buffer))
    }
}
