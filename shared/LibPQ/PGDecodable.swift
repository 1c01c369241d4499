/// A Swift type that can be read from a result column in libpq's text format.
///
/// Conformances: `String` (any column type), `Int`, `Int32`, `Int64` (`int2`/`int4`/`int8`/`oid`),
/// `Double` (`float4`/`float8`/`numeric` and the integers), `Bool` (`bool`), and `Optional` of
/// any of them for nullable columns.
public protocol PGDecodable: Sendable {
    /// Decodes `value`, throwing ``PGValue/Mismatch`` when it is NULL, of the wrong type, or unparsable.
    static func decode(_ value: PGValue) throws(PGValue.Mismatch) -> Self
}
