import AdrecsConcurrency
import AdrecsRuntime
import LibPQ
import Logging

/// Retries an operation while PostgreSQL is unreachable, with exponential backoff and full jitter
/// (clients reconnecting after a failover spread out), for at most `budget`; then throws
/// ``WriterError/databaseUnavailable(seconds:attempts:last:)``. SQL errors (anything but a
/// connection failure) are thrown at once.
struct DatabaseRetry: Sendable {
    var budget: Duration
    var initialDelay: Duration = .milliseconds(250)
    var maxDelay: Duration = .seconds(4)

    func run<T: Sendable>(_ what: String, logger: Logger, _ body: @Sendable () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + budget
        let backoff = Backoff(initial: initialDelay, maximum: maxDelay, jitter: .full)
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try await body()
            } catch let error as PGError where error.isConnectionFailure {
                let now = clock.now
                guard now < deadline else {
                    throw WriterError.databaseUnavailable(seconds: Int(budget.seconds), attempts: attempts, last: error.description)
                }
                logger.warning("PostgreSQL unreachable, retrying", metadata: [LogKeys.error: "\(what), attempt \(attempts): \(error)"])
                try await Task.sleep(until: min(now + backoff.delay(afterAttempt: attempts), deadline), clock: clock)
            }
        }
    }
}
