import Dispatch
import Synchronization

/// A bounded hand-off of byte chunks from a blocking producer (curl's write callback) to an
/// async consumer. ``send(_:)`` blocks while `limit` bytes wait unread, so a slow consumer
/// slows the download instead of growing memory.
final class S3ByteChannel: Sendable {
    private struct State: ~Copyable {
        var chunks: [[UInt8]] = []
        var bufferedBytes = 0
        var finished = false
        var failure: (any Error)?
        var consumer: CheckedContinuation<[UInt8]?, any Error>?
        var producerWaiting = false
        var cancelled = false
    }

    private let state = Mutex(State())
    /// Signalled once for each time the producer parks because the buffer is full.
    private let space = DispatchSemaphore(value: 0)
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Delivers a chunk, blocking while the buffer is full. Returns `false` once the consumer
    /// has gone (cancelled or dropped), telling the producer to abort.
    func send(_ chunk: [UInt8]) -> Bool {
        enum Action { case delivered, handOff(CheckedContinuation<[UInt8]?, any Error>), wait, cancelled }
        while true {
            let action = state.withLock { state -> Action in
                if state.cancelled { return .cancelled }
                if let consumer = state.consumer {
                    state.consumer = nil
                    return .handOff(consumer)
                }
                if state.bufferedBytes < limit {
                    state.chunks.append(chunk)
                    state.bufferedBytes += chunk.count
                    return .delivered
                }
                state.producerWaiting = true
                return .wait
            }
            switch action {
            case .delivered: return true
            case .handOff(let consumer):
                consumer.resume(returning: chunk)
                return true
            case .cancelled: return false
            case .wait: space.wait()
            }
        }
    }

    /// Ends the stream after the buffered chunks, with `error` if it failed.
    func finish(throwing error: (any Error)? = nil) {
        let consumer = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            guard let consumer = state.consumer else {
                state.failure = error
                return nil
            }
            state.consumer = nil
            return consumer
        }
        guard let consumer else { return }
        if let error { consumer.resume(throwing: error) } else { consumer.resume(returning: nil) }
    }

    /// The consumer gives up: wakes the producer (its next ``send(_:)`` returns `false`) and
    /// drops buffered chunks.
    func cancel() {
        let (consumer, wake) = state.withLock { state in
            state.cancelled = true
            state.chunks = []
            state.bufferedBytes = 0
            let consumer = state.consumer
            state.consumer = nil
            let wake = state.producerWaiting
            state.producerWaiting = false
            return (consumer, wake)
        }
        if wake { space.signal() }
        consumer?.resume(throwing: CancellationError())
    }

    /// The next chunk, or `nil` at the end; rethrows the producer's failure once.
    func next() async throws -> [UInt8]? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                enum Action { case chunk([UInt8], wake: Bool), end((any Error)?), parked }
                let action = state.withLock { state -> Action in
                    if !state.chunks.isEmpty {
                        let chunk = state.chunks.removeFirst()
                        state.bufferedBytes -= chunk.count
                        let wake = state.producerWaiting
                        state.producerWaiting = false
                        return .chunk(chunk, wake: wake)
                    }
                    if state.cancelled { return .end(CancellationError()) }
                    if state.finished {
                        let failure = state.failure
                        state.failure = nil
                        return .end(failure)
                    }
                    state.consumer = continuation
                    return .parked
                }
                switch action {
                case .chunk(let chunk, let wake):
                    if wake { space.signal() }
                    continuation.resume(returning: chunk)
                case .end(let failure):
                    if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) }
                case .parked:
                    break
                }
            }
        } onCancel: {
            cancel()
        }
    }
}
