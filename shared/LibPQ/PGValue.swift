/// One field of a result in libpq's text format, as handed to ``PGDecodable/decode(_:)``.
public struct PGValue: Sendable, Hashable {
    /// The text form of the value, or `nil` for SQL NULL.
    public let text: String?
    /// The column's type OID (`PQftype`).
    public let typeOID: UInt32

    public init(text: String?, typeOID: UInt32) {
        self.text = text
        self.typeOID = typeOID
    }

    /// The non-NULL text, if the column's type is one of `typeOIDs` (any type when `nil`).
    public func text(ofTypes typeOIDs: Set<UInt32>?) throws(Mismatch) -> String {
        guard let text else { throw .null }
        if let typeOIDs, !typeOIDs.contains(typeOID) { throw .type }
        return text
    }
}

extension PGValue {
    /// Why a ``PGValue`` cannot be decoded; ``PGRow`` turns it into a ``PGError`` naming the column.
    public enum Mismatch: Error, Sendable {
        /// The value is NULL and the target type is not optional.
        case null
        /// The column's type cannot represent the target type.
        case type
        /// The text does not parse as the target type.
        case text
    }
}
