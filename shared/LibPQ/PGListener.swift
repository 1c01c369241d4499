import AdrecsConcurrency

/// Notifications from `LISTEN`, as an `AsyncSequence`.
///
/// Each iteration opens its own connection and runs on its own thread (a serial
/// ``AdrecsConcurrency/BlockingExecutor``): it `LISTEN`s on every channel, then loops on
/// `poll()` of the connection's socket with a short timeout, `PQconsumeInput` and `PQnotifies`.
/// Cancelling the iterating task, or dropping the iterator, ends the sequence and closes the
/// connection within one poll interval.
///
/// **Connection loss: reconnect.** When the connection drops (e.g. PostgreSQL restarts), the
/// listener reconnects with `reconnect`'s backoff and `LISTEN`s again. It yields a resync
/// marker (``PGNotification/isResync``) for each channel every time `LISTEN` takes effect,
/// at the start and after each reconnect, because notifications sent while disconnected are
/// lost: consumers reload their state on a marker. When `reconnect` allows no further attempt,
/// the sequence ends by throwing the last connection error. With ``PGRetryPolicy/forever``
/// (the default) it never gives up, so a wrong password is retried too; an unparsable
/// connection string ends the sequence at once.
public struct PGListener: AsyncSequence, Sendable {
    public typealias Element = PGNotification
    public typealias Failure = PGError

    let info: PGConnectInfo
    let channels: [String]
    let reconnect: PGRetryPolicy
    let pollInterval: Duration

    /// - Parameters:
    ///   - channels: the channels to `LISTEN` on; names are quoted, so any string works.
    ///   - reconnect: how to reconnect after a lost connection (and to make the first connection).
    ///   - pollInterval: the `poll()` timeout, which bounds how long cancellation takes to notice.
    public init(
        _ info: PGConnectInfo,
        channels: [String],
        reconnect: PGRetryPolicy = .forever,
        pollInterval: Duration = .milliseconds(100)
    ) {
        self.info = info
        self.channels = channels
        self.reconnect = reconnect
        self.pollInterval = pollInterval
    }

    public func makeAsyncIterator() -> Iterator {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: PGNotification.self)
        let loop = PGListenLoop(
            info: info, channels: channels, reconnect: reconnect,
            pollInterval: pollInterval, continuation: continuation
        )
        continuation.onTermination = { _ in loop.cancel() }
        let executor = BlockingExecutor(label: "adrecs.pg.listener", concurrent: false)
        Task { try? await executor.run { loop.run() } }
        return Iterator(base: stream.makeAsyncIterator(), stopper: PGListenLoop.Stopper(loop))
    }
}
