extension ZeroMQReceiver {
    /// The messages of a ``ZeroMQReceiver``; see ``ZeroMQReceiver/messages``.
    ///
    /// Ends (returns `nil`) on cancellation, ``ZeroMQReceiver/close()`` or
    /// ``ZeroMQContext/shutdown()``; throws only real socket errors, after which it ends.
    /// Several iterators may share one receiver; each message goes to one of them.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = ZeroMQMessage
        public typealias Failure = ZeroMQError

        let receiver: ZeroMQReceiver

        public func makeAsyncIterator() -> AsyncIterator {
            AsyncIterator(receiver: receiver)
        }

        public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
            public typealias Element = ZeroMQMessage
            public typealias Failure = ZeroMQError

            let receiver: ZeroMQReceiver
            private var finished = false

            init(receiver: ZeroMQReceiver) {
                self.receiver = receiver
            }

            public mutating func next() async throws(ZeroMQError) -> ZeroMQMessage? {
                guard !finished else { return nil }
                do throws(ZeroMQError) {
                    if let message = try await receiver.receive() { return message }
                    finished = true
                    return nil
                } catch {
                    finished = true
                    throw error
                }
            }

            public mutating func next(isolation actor: isolated (any Actor)?) async throws(ZeroMQError) -> ZeroMQMessage? {
                try await next()
            }
        }
    }
}
