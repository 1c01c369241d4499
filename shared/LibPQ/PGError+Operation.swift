extension PGError {
    /// The kind of operation that failed.
    public enum Operation: String, Sendable, Hashable {
        case connect
        case query
        case transaction
        case copy
        case listen
        case decode
        case pool
    }
}
