/// A Swift type that can be read from a result column in libpq's text format.
///
/// Conformances: `String` (any column type), `Int`, `Int32`, `Int64` (`int2`/`int4`/`int8`/`oid`),
/// `Double` (`float4`/`float8`/`numeric` and the integers), `Bool` (`bool`), and `Optional` of
/// any of them for nullable columns.
public protocol PGDecodable: Sendable {
    /// Decodes `value`, throwing ``PGValue/Mismatch`` when it is NULL, of the wrong type, or unparsable.
    static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Self
}

extension String: PGDecodable {
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> String {
        try value.text(ofTypes: nil)
    }
}

extension Int: PGDecodable {
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Int {
        guard let number = Int(try value.text(ofTypes: PGTypeName.integers)) else { throw .text }
        return number
    }
}

extension Int32: PGDecodable {
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Int32 {
        guard let number = Int32(try value.text(ofTypes: PGTypeName.integers)) else { throw .text }
        return number
    }
}

extension Int64: PGDecodable {
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Int64 {
        guard let number = Int64(try value.text(ofTypes: PGTypeName.integers)) else { throw .text }
        return number
    }
}

extension Double: PGDecodable {
    /// Accepts PostgreSQL's `Infinity`, `-Infinity` and `NaN` spellings.
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Double {
        let text = try value.text(ofTypes: PGTypeName.floats)
        switch text {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        case "NaN": return .nan
        default:
            guard let number = Double(text) else { throw .text }
            return number
        }
    }
}

extension Bool: PGDecodable {
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Bool {
        switch try value.text(ofTypes: [PGTypeName.bool]) {
        case "t": return true
        case "f": return false
        default: throw .text
        }
    }
}

extension Optional: PGDecodable where Wrapped: PGDecodable {
    /// SQL NULL decodes as `nil`; other values as `Wrapped`.
    public static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Wrapped? {
        guard value.text != nil else { return nil }
        return try Wrapped.decode(value)
    }
}
