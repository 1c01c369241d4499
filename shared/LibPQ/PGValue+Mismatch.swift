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
