import AdrecsConcurrency

/// Retries with exponential backoff and full jitter, on HTTP 5xx and 429, S3's `RequestTimeout`,
/// `SlowDown` and `InternalError`, and connection errors, resets and timeouts, for at most
/// ``budget`` (and ``maxAttempts``) per request: each multipart part, and each resumed piece of a
/// streamed download, has a budget of its own. Other 4xx answers (403, 404, `NoSuchKey`,
/// `SignatureDoesNotMatch`) are never retried.
public struct S3RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included (1 = no retries); by default only the budget bounds them.
    public var maxAttempts: Int
    /// The ceiling of the first pause; doubled for each later one.
    public var baseDelay: Duration
    /// The cap of any single pause.
    public var maxDelay: Duration
    /// No retry starts later than this after the request's first attempt started.
    public var budget: Duration

    public init(
        maxAttempts: Int = .max, baseDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(5),
        budget: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.budget = budget
    }

    /// Retries for 60 s, pausing up to 0.1 s, 0.2 s, … 5 s.
    public static let `default` = S3RetryPolicy()

    /// Never retry.
    public static let none = S3RetryPolicy(maxAttempts: 1)

    /// The pauses between attempts.
    var backoff: Backoff { Backoff(initial: baseDelay, maximum: maxDelay, jitter: .full) }

    /// The delay after failed attempt `attempt` (1-based): uniformly random in
    /// `0...min(maxDelay, baseDelay · 2^(attempt-1))`.
    func delay(afterAttempt attempt: Int) -> Duration {
        backoff.delay(afterAttempt: attempt)
    }

    /// The pause before another attempt, or `nil` when attempt `attempt` (1-based) was the last:
    /// the attempts are used up, or the retry would start after the budget of a request whose
    /// first attempt started at `start`.
    func pause(afterAttempt attempt: Int, since start: ContinuousClock.Instant) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let delay = delay(afterAttempt: attempt)
        guard ContinuousClock.now + delay <= start + budget else { return nil }
        return delay
    }
}
