import Hummingbird

/// A minimal JSON writer into a `ByteBuffer`, for pre-encoding responses once per snapshot.
struct JSONBytes {
    var buffer: ByteBuffer

    init(capacity: Int) {
        buffer = ByteBuffer()
        buffer.reserveCapacity(capacity)
    }

    /// Appends `text` as is (punctuation, keys known to need no escaping).
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { _ = buffer.writeBytes($0) }
    }

    mutating func raw(_ bytes: ByteBuffer) {
        var copy = bytes
        buffer.writeBuffer(&copy)
    }

    /// Appends `text` as a JSON string, escaping quotes, backslashes and control characters.
    mutating func string(_ text: String) {
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

    mutating func int(_ value: Int?) {
        guard let value else { return raw("null") }
        buffer.writeString(String(value))
    }

    /// Finite doubles in Swift's shortest round-trip form (valid JSON numbers); others as `null`.
    mutating func double(_ value: Double?) {
        guard let value, value.isFinite else { return raw("null") }
        buffer.writeString(value.description)
    }
}
