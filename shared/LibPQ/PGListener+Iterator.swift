extension PGListener {
    /// Iterates one listener connection; dropping it stops the connection's thread.
    public struct Iterator: AsyncIteratorProtocol {
        var base: AsyncThrowingStream<PGNotification, any Error>.Iterator
        let stopper: PGListenLoop.Stopper

        public mutating func next() async throws(PGError) -> PGNotification? {
            do {
                return try await base.next()
            } catch let error as PGError {
                throw error
            } catch {
                throw PGError(.listen, message: "\(error)")
            }
        }
    }
}
