extension PGPool {
    /// A caller waiting for a slot.
    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PGPoolSlot, any Error>
        /// Fails the waiter after ``Configuration/maxWait``; cancelled when it gets a slot.
        var timer: Task<Void, Never>?
    }
}
