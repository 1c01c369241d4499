public import ServiceLifecycle

/// The pool as a service of the process's group: usable before `run()` (connections open on first
/// use), closed when graceful shutdown reaches it or its task is cancelled. Listed before the
/// services that use it, since a group stops its services in reverse order.
extension PGPool: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
