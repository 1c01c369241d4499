extension PGPool {
    /// Pool limits and connection retries.
    public struct Configuration: Sendable, Hashable {
        /// The most connections open at once, at least 1.
        public var maxConnections: Int
        /// How to retry opening a connection before a closure fails; bounded by default.
        public var connectRetry: PGRetryPolicy

        public init(maxConnections: Int = 4, connectRetry: PGRetryPolicy = PGRetryPolicy(maxAttempts: 5)) {
            self.maxConnections = max(1, maxConnections)
            self.connectRetry = connectRetry
        }
    }
}
