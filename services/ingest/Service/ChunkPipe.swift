import Synchronization

/// A bounded async pipe of byte chunks: one producer ``send(_:)``s, one consumer iterates.
///
/// The producer waits while `capacity` chunks are queued, so a streamed upload holds at most
/// `capacity` chunks beyond what S3Client buffers. Either side ends the pipe: the producer with
/// ``finish(throwing:)``, the consumer by dropping out (``cancel()``), which makes later sends throw.
final class ChunkPipe: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    /// The consumer stopped taking chunks (its upload failed or was cancelled).
    struct Closed: Error {}

    private struct State {
        var queue: [[UInt8]] = []
        var head = 0
        var finished = false
        var failure: (any Error)?
        var cancelled = false
        var consumer: CheckedContinuation<[UInt8]?, any Error>?
        var producer: CheckedContinuation<Void, any Error>?

        var count: Int { queue.count - head }

        mutating func pop() -> [UInt8] {
            let chunk = queue[head]
            queue[head] = []
            head += 1
            if head == queue.count {
                queue.removeAll(keepingCapacity: true)
                head = 0
            }
            return chunk
        }
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 4) {
        self.capacity = Swift.max(1, capacity)
    }

    /// Queues `chunk`, waiting while the pipe is full.
    func send(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let action: () -> Void = state.withLock { state in
                if state.cancelled { return { continuation.resume(throwing: Closed()) } }
                if let consumer = state.consumer {
                    state.consumer = nil
                    return { consumer.resume(returning: chunk); continuation.resume() }
                }
                state.queue.append(chunk)
                if state.count < capacity { return { continuation.resume() } }
                state.producer = continuation
                return {}
            }
            action()
        }
    }

    /// Ends the stream: the consumer sees the end after the queued chunks, or `error`.
    func finish(throwing error: (any Error)? = nil) {
        let consumer: CheckedContinuation<[UInt8]?, any Error>? = state.withLock { state in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            guard state.count == 0, let consumer = state.consumer else { return nil }
            state.consumer = nil
            return consumer
        }
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }

    /// The consumer gives up: a waiting or later ``send(_:)`` throws ``Closed``.
    func cancel() {
        let producer: CheckedContinuation<Void, any Error>? = state.withLock { state in
            state.cancelled = true
            state.queue.removeAll()
            state.head = 0
            defer { state.producer = nil }
            return state.producer
        }
        producer?.resume(throwing: Closed())
    }

    private func next() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
            let action: () -> Void = state.withLock { state in
                if state.count > 0 {
                    let chunk = state.pop()
                    let producer = state.producer
                    state.producer = nil
                    return { continuation.resume(returning: chunk); producer?.resume() }
                }
                if state.finished {
                    let failure = state.failure
                    return { if let failure { continuation.resume(throwing: failure) } else { continuation.resume(returning: nil) } }
                }
                if state.cancelled { return { continuation.resume(returning: nil) } }
                state.consumer = continuation
                return {}
            }
            action()
        }
    }

    func makeAsyncIterator() -> Iterator { Iterator(pipe: self) }

    struct Iterator: AsyncIteratorProtocol {
        let pipe: ChunkPipe

        mutating func next() async throws -> [UInt8]? {
            try await pipe.next()
        }
    }
}
