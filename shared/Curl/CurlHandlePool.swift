import Synchronization

/// A small pool of reusable easy handles, so consecutive requests reuse open connections.
///
/// Each handle is lent to one caller at a time through ``withHandle(_:)`` and reset when it
/// comes back. Callers run blocking transfers, so call it from a blocking thread.
public final class CurlHandlePool: Sendable {
    /// Moves an easy handle between threads. libcurl documents that a handle may be used
    /// from any thread as long as only one uses it at a time; the pool guarantees that by
    /// lending each box to exactly one caller until it is returned.
    private final class Lease: @unchecked Sendable {
        let easy: CurlEasy
        init(_ easy: CurlEasy) { self.easy = easy }
    }

    private let idle = Mutex<[Lease]>([])
    private let maxIdle: Int

    /// - Parameter maxIdle: how many idle handles (and their connections) to keep.
    public init(maxIdle: Int = 8) {
        self.maxIdle = maxIdle
    }

    /// Lends a handle (an idle one, or a new one) to `body`, then takes it back.
    public func withHandle<Result>(_ body: (CurlEasy) throws(CurlError) -> Result) throws(CurlError) -> Result {
        let lease: Lease
        if let reused = idle.withLock({ $0.popLast() }) {
            lease = reused
        } else {
            lease = Lease(try CurlEasy())
        }
        defer { giveBack(lease) }
        return try body(lease.easy)
    }

    private func giveBack(_ lease: Lease) {
        // A handle that cannot be reset is dropped (and cleaned up) rather than reused.
        guard (try? lease.easy.reset()) != nil else { return }
        idle.withLock { handles in
            if handles.count < maxIdle { handles.append(lease) }
        }
    }
}
