/// What happened to rows: the `kind` label of `adrecs_rows_total`.
public enum RowKind: String, Sendable, CaseIterable {
    case read
    case kept
    /// Malformed lines set aside rather than failing the run.
    case quarantined
    case written
}
