import AdrecsConcurrency
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking loop behind a ``PGListener`` iteration; runs on the listener's own thread,
/// which alone touches the connection.
final class PGListenLoop: Sendable {
    private let info: PGConnectInfo
    private let channels: [String]
    private let reconnect: PGRetryPolicy
    private let pollMilliseconds: Int32
    private let continuation: AsyncThrowingStream<PGNotification, any Error>.Continuation
    private let cancelled = Atomic<Bool>(false)

    init(
        info: PGConnectInfo, channels: [String], reconnect: PGRetryPolicy, pollInterval: Duration,
        continuation: AsyncThrowingStream<PGNotification, any Error>.Continuation
    ) {
        self.info = info
        self.channels = channels
        self.reconnect = reconnect
        pollMilliseconds = max(1, pollInterval.clampedMilliseconds)
        self.continuation = continuation
    }

    /// Asks the loop to stop; it notices within one poll interval.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    private var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Connects, listens and delivers notifications until cancelled or out of reconnect attempts.
    func run() {
        if case .failure(let error) = info.parsedOptions() {
            continuation.finish(throwing: error)
            return
        }
        var connection: PGConnection?
        var failures = 0
        while !isCancelled {
            guard let listening = connection else {
                do throws(PGError) {
                    connection = try connectAndListen()
                    failures = 0
                } catch {
                    failures += 1
                    guard reconnect.allowsAttempt(after: failures) else {
                        continuation.finish(throwing: PGError(
                            .listen, sqlState: error.sqlState,
                            message: "gave up after \(failures) connection attempts: \(error.message)"
                        ))
                        return
                    }
                    pause(reconnect.delay(afterAttempt: failures))
                }
                continue
            }
            do throws(PGError) {
                for notification in try listening.waitForNotifications(timeoutMilliseconds: pollMilliseconds) {
                    if case .terminated = continuation.yield(notification) { cancel() }
                }
                guard listening.isHealthy else {
                    throw PGError(.listen, sqlState: "08006", message: "the server closed the connection")
                }
            } catch {
                // Lost: reconnect after the first backoff step, so a flapping server is not hammered.
                connection = nil
                pause(reconnect.initialDelay)
            }
        }
        connection = nil
        continuation.finish()
    }

    private func connectAndListen() throws(PGError) -> PGConnection {
        let connection = try PGConnection(info)
        for channel in channels { try connection.listen(channel) }
        for channel in channels {
            continuation.yield(PGNotification(channel: channel, payload: "", pid: 0, isResync: true))
        }
        return connection
    }

    /// Sleeps for `duration`, waking early when cancelled.
    private func pause(_ duration: Duration) {
        var remaining = duration
        let slice = Duration.milliseconds(20)
        while remaining > .zero, !isCancelled {
            let step = min(slice, remaining)
            usleep(useconds_t(step.wholeMicroseconds))
            remaining -= step
        }
    }
}

extension PGListenLoop {
    /// Held by the iterator only: when the iterator goes away, so does its loop.
    final class Stopper: Sendable {
        private let loop: PGListenLoop

        init(_ loop: PGListenLoop) {
            self.loop = loop
        }

        deinit {
            loop.cancel()
        }
    }
}
