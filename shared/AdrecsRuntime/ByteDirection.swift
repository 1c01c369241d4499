/// Which way bytes moved: the `direction` label of `adrecs_bytes_total`.
public enum ByteDirection: String, Sendable, CaseIterable {
    case read
    case written
}
