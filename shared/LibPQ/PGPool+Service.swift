public import ServiceLifecycle

/// The pool as a service of the process's group: usable before `run()` (connections open on first
/// use), and listed before the services that use it, since a group shuts its services down in
/// reverse order.
///
/// Graceful shutdown reaching the pool closes it: the services after it have stopped. Cancellation
/// (graceful shutdown ran out of time, and the group cancels every service at once) leaves it
/// open, because a cancelled stage still records its abandoned work in the ledger; its connections
/// then close when the pool is released.
extension PGPool: Service {
    public func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return
        }
        await close()
    }
}
