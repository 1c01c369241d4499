public import AdrecsConcurrency

/// How often, and how patiently, to retry connecting: exponential backoff with a cap.
///
/// Attempt `n` (from 1) that fails is followed by a pause of
/// `min(initialDelay * multiplier^(n-1), maxDelay)` before attempt `n + 1` (``backoff``).
public struct PGRetryPolicy: Sendable, Hashable {
    /// The number of attempts before giving up, at least 1; `nil` retries forever.
    public var maxAttempts: Int?
    /// The pause after the first failed attempt.
    public var initialDelay: Duration
    /// The longest pause between attempts.
    public var maxDelay: Duration
    /// The growth factor of the pause, at least 1.
    public var multiplier: Double

    public init(
        maxAttempts: Int? = 5,
        initialDelay: Duration = .milliseconds(100),
        maxDelay: Duration = .seconds(5),
        multiplier: Double = 2
    ) {
        self.maxAttempts = maxAttempts.map { max(1, $0) }
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = max(1, multiplier)
    }

    /// Retries forever, pausing 100 ms, 200 ms, … up to 5 s: for long-lived listeners.
    public static let forever = PGRetryPolicy(maxAttempts: nil)

    /// `true` if another attempt is allowed after `attempt` failures.
    public func allowsAttempt(after attempt: Int) -> Bool {
        maxAttempts.map { attempt < $0 } ?? true
    }

    /// The pauses between attempts.
    public var backoff: Backoff { Backoff(initial: initialDelay, maximum: maxDelay, multiplier: multiplier) }

    /// The pause after failed attempt number `attempt` (1-based).
    public func delay(afterAttempt attempt: Int) -> Duration {
        backoff.delay(afterAttempt: attempt)
    }
}
