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
