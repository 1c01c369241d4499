/// The two recommendation models; raw values are the `model` column.
public enum ModelKind: String, Sendable, Codable, CaseIterable, Comparable {
    case topCTR = "TopCTR"
    case topProduct = "TopProduct"

    /// Orders as the `model` column sorts (bytewise).
    public static func < (lhs: ModelKind, rhs: ModelKind) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
