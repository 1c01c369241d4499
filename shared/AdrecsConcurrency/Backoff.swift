/// Exponential backoff, the one rule behind the project's retries (PostgreSQL connects, S3
/// requests, the writer's wait for PostgreSQL).
///
/// The pause after failed attempt `n` (1-based) has the ceiling
/// `min(maximum, initial · multiplier^(n-1))`. Without jitter it is the ceiling; with full jitter
/// it is uniformly random in `0...ceiling`, so clients that failed together (a failover, a
/// throttled bucket) do not retry together.
public struct Backoff: Sendable, Hashable {
    public enum Jitter: Sendable, Hashable {
        case none
        case full
    }

    public var initial: Duration
    public var maximum: Duration
    /// The growth factor per attempt, at least 1.
    public var multiplier: Double
    public var jitter: Jitter

    public init(initial: Duration, maximum: Duration, multiplier: Double = 2, jitter: Jitter = .none) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = max(1, multiplier)
        self.jitter = jitter
    }

    /// The longest pause after failed attempt `attempt` (1-based).
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        var ceiling = initial
        for _ in 0..<min(max(0, attempt - 1), 64) {
            guard ceiling < maximum else { break }
            ceiling = ceiling * multiplier
        }
        return min(ceiling, maximum)
    }

    /// The pause after failed attempt `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt)
        switch jitter {
        case .none:
            return ceiling
        case .full:
            let nanoseconds = ceiling.wholeNanoseconds
            guard nanoseconds > 0 else { return .zero }
            return .nanoseconds(Int64.random(in: 0...nanoseconds))
        }
    }
}
