import Foundation
import Synchronization

/// A settable wall clock for credential expiry tests.
final class TestClock: Sendable {
    private let value: Mutex<Date>

    init(_ start: Date) { value = Mutex(start) }

    var now: Date { value.withLock { $0 } }
    func set(_ date: Date) { value.withLock { $0 = date } }
    /// For ``S3CredentialsChain``'s `now` parameter.
    var function: @Sendable () -> Date { { [self] in now } }
}
