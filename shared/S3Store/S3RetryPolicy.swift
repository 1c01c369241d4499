/// Retries with exponential backoff and jitter, on HTTP 5xx and 429, S3's `RequestTimeout`
/// and `SlowDown`, and connection errors and timeouts. Other 4xx answers are never retried.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 = no retries).
    public var maxAttempts: Int
    /// The delay before the first retry; doubled for each later one.
    public var baseDelay: Duration
    /// The cap of any single delay.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static let `default` = S3RetryPolicy()

    /// Never retry.
    public static let none = S3RetryPolicy(maxAttempts: 1)

    /// The delay after failed attempt `attempt` (1-based): uniformly random in the upper
    /// half of `min(maxDelay, baseDelay · 2^(attempt-1))`.
    func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let nanoseconds = Self.nanoseconds(ceiling)
        guard nanoseconds > 1 else { return ceiling }
        return .nanoseconds(nanoseconds / 2 + Int64.random(in: 0...(nanoseconds / 2)))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
