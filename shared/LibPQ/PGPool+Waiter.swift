extension PGPool {
    /// A caller waiting for a slot.
    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PGPoolSlot, any Error>
    }
}
