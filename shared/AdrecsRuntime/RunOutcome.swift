/// How a unit of work ended: the `outcome` label of `adrecs_runs_total`.
public enum RunOutcome: String, Sendable, CaseIterable {
    case succeeded
    case failed
    /// Given up on purpose, e.g. on graceful shutdown, so that it can run again.
    case abandoned
    /// Failed on a dependency that may come back (PostgreSQL or S3 unreachable): given back to the
    /// ledger for another attempt.
    case retried
}
