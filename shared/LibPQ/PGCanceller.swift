import CLibPQ
import Dispatch
import Synchronization

/// Cancels what a ``PGConnection`` is running, from another thread: `PQcancel` on the connection's
/// `PGcancel` object, which asks the server to stop the current statement (`57014`).
///
/// ``PGPool`` arms it while a closure holds the connection and calls ``cancel()`` when the
/// lending task is cancelled. A request also makes the connection refuse statements it has not
/// sent yet (``isRequested``), and is sent again every second while the closure runs, so a
/// statement that started just after a request is cancelled too.
///
/// `@unchecked Sendable`: libpq documents `PQcancel` as safe to call from any thread (even a
/// signal handler) with a `PGcancel` object, which is only freed in `deinit`; the flags are
/// guarded by a mutex.
final class PGCanceller: @unchecked Sendable {
    private struct State {
        var armed = false
        var requested = false
    }

    private let handle: OpaquePointer
    private let state = Mutex(State())
    /// Held while a request is sent, and by ``disarm()``: once a lending ended, no request of
    /// its own can still reach the server and cancel the next lender's statement.
    private let sending = Mutex(())
    /// Where requests are sent: `PQcancel` opens a connection to the server and blocks briefly.
    private static let queue = DispatchQueue(label: "adrecs.pg.cancel")
    static let resendInterval = DispatchTimeInterval.seconds(1)

    /// `nil` if libpq cannot make a cancel object for `connection` (`PQgetCancel`).
    init?(_ connection: OpaquePointer) {
        guard let handle = PQgetCancel(connection) else { return nil }
        self.handle = handle
    }

    deinit {
        PQfreeCancel(handle)
    }

    /// Starts a lending: clears an earlier request.
    func arm() {
        state.withLock { $0 = State(armed: true, requested: false) }
    }

    /// Ends a lending: later ``cancel()`` calls do nothing. Waits for a request being sent.
    func disarm() {
        sending.withLock { _ in state.withLock { $0.armed = false } }
    }

    /// `true` once ``cancel()`` was called during the current lending.
    var isRequested: Bool { state.withLock { $0.armed && $0.requested } }

    /// Asks the server to cancel the running statement, and again every second until ``disarm()``.
    func cancel() {
        let send = state.withLock { state -> Bool in
            guard state.armed, !state.requested else { return false }
            state.requested = true
            return true
        }
        if send { Self.queue.async { self.send() } }
    }

    private func send() {
        let sent = sending.withLock { _ -> Bool in
            guard isRequested else { return false }
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(handle, &message, Int32(message.count))
            return true
        }
        if sent { Self.queue.asyncAfter(deadline: .now() + Self.resendInterval) { self.send() } }
    }
}
