/// Why a run failed: the `cause` label of `adrecs_stage_failures_total`.
public enum FailureCause: String, Sendable, CaseIterable {
    /// S3 requests.
    case storage
    /// PostgreSQL.
    case database
    /// ZeroMQ messages between stages.
    case messaging
    /// Input the stage cannot use: a bad message, a missing or unreadable object.
    case input
    /// A worker lost while it worked (no heartbeat) once the stage's attempts were spent.
    case lost
    /// Anything else.
    case unexpected
}
