extension PGPool {
    /// The pool's bookkeeping, guarded by its mutex.
    struct State: ~Copyable {
        /// Slots not lent out; their connection may be closed or `nil`.
        var idle: [PGPoolSlot] = []
        /// Slots created so far, lent or idle; never more than `maxConnections`.
        var created = 0
        var waiters: [Waiter] = []
        var nextWaiterID = 0
        var isClosed = false
    }
}
