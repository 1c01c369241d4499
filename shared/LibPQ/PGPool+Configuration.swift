extension PGPool {
    /// Pool limits, connection retries and how long a caller waits for a connection.
    public struct Configuration: Sendable, Hashable {
        /// The most connections open at once, at least 1.
        public var maxConnections: Int
        /// How to retry opening a connection before a closure fails; bounded by default.
        public var connectRetry: PGRetryPolicy
        /// How long a caller waits for a connection while all are lent out before it fails with
        /// ``PGError/isPoolTimeout``; `nil` waits until one is returned.
        public var maxWait: Duration?

        public init(
            maxConnections: Int = 4, connectRetry: PGRetryPolicy = PGRetryPolicy(maxAttempts: 5), maxWait: Duration? = .seconds(60)
        ) {
            self.maxConnections = max(1, maxConnections)
            self.connectRetry = connectRetry
            self.maxWait = maxWait
        }
    }
}
