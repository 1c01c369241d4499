import AdrecsConcurrency
import Synchronization

/// A bounded pool of ``PGConnection``s, lent to synchronous closures on a blocking executor.
///
/// ```swift
/// let pool = PGPool(PGConnectInfo(dsn))
/// let count = try await pool.withConnection { conn in
///     try conn.query("SELECT count(*) AS n FROM runs WHERE day = $1", [day])[0].decode("n", as: Int.self)
/// }
/// ```
///
/// At most ``Configuration/maxConnections`` connections exist; further callers wait (cancellably)
/// for one to be returned, at most ``Configuration/maxWait``, then fail with a `53300` ``PGError``
/// (``PGError/isPoolTimeout``). Connections are opened lazily and never leave their closure. Each
/// connection has its own serial ``AdrecsConcurrency/BlockingExecutor``, where its closures
/// run: a serial dispatch queue gets a thread of its own when busy, whereas a concurrent one
/// would share the few (one per core) threads of Swift's cooperative pool on Linux.
///
/// **Broken connections.** Before lending an idle connection the pool reads what the server sent
/// while it was idle, so connections killed by a server restart are noticed and replaced without
/// a failed query. A connection that fails during a closure (`PQstatus` bad, or a
/// ``PGError/isConnectionFailure`` error) is discarded after the closure's error is rethrown;
/// the closure is not retried because its statements may have run. Opening a connection is
/// retried per ``Configuration/connectRetry``, then fails with a `08001` ``PGError`` that says
/// how many attempts were made. A connection left inside a transaction is rolled back.
///
/// **Cancellation.** Cancelling the task of a closure cancels its running statement on the server
/// (`PQcancel`), and its later statements fail without being sent: the closure gets a `57014`
/// ``PGError`` (a transaction rolls back) and the connection stays in the pool.
public final class PGPool: Sendable {
    let info: PGConnectInfo
    public let configuration: Configuration
    let state: Mutex<State>

    public init(_ info: PGConnectInfo, configuration: Configuration = Configuration()) {
        self.info = info
        self.configuration = configuration
        self.state = Mutex(State())
    }

    /// Lends a connection to `body`, which runs synchronously on a blocking thread.
    public func withConnection<T: Sendable>(
        fileID: String = #fileID, line: Int = #line, _ body: (PGConnection) throws -> T
    ) async throws -> T {
        let slot = try await acquire(fileID: fileID, line: line)
        defer { release(slot) }
        try await connect(slot, fileID: fileID, line: line)
        return try await withTaskExecutorPreference(slot.executor) {
            let canceller = slot.canceller
            canceller?.arm()
            defer { canceller?.disarm() }
            return try await withTaskCancellationHandler {
                try slot.use(body)
            } onCancel: {
                canceller?.cancel()
            }
        }
    }

    /// Runs `body` in a transaction on a pooled connection (see ``PGConnection/transaction(fileID:line:_:)``).
    public func transaction<T: Sendable>(
        fileID: String = #fileID, line: Int = #line, _ body: (PGConnection) throws -> T
    ) async throws -> T {
        try await withConnection(fileID: fileID, line: line) { connection in
            try connection.transaction(fileID: fileID, line: line, body)
        }
    }

    /// Runs one parameterized statement on a pooled connection and returns its rows.
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [(any PGEncodable)?] = [], fileID: String = #fileID, line: Int = #line
    ) async throws -> PGResult {
        try await withConnection(fileID: fileID, line: line) { connection in
            try connection.query(sql, parameters, fileID: fileID, line: line)
        }
    }

    /// Runs one parameterized statement on a pooled connection and returns the rows it affected.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [(any PGEncodable)?] = [], fileID: String = #fileID, line: Int = #line
    ) async throws -> Int {
        try await withConnection(fileID: fileID, line: line) { connection in
            try connection.execute(sql, parameters, fileID: fileID, line: line)
        }
    }

    /// Closes idle connections and fails waiting and future callers; lent connections close
    /// when their closures return.
    public func close() async {
        let (idle, waiters) = state.withLock { state in
            state.isClosed = true
            defer { state.idle = []; state.waiters = [] }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.timer?.cancel()
            waiter.continuation.resume(throwing: PGError(.pool, message: "the pool is closed"))
        }
        for slot in idle {
            await withTaskExecutorPreference(slot.executor) { slot.close() }
        }
    }

    /// Makes sure `slot` holds a live connection, opening one with retries if needed.
    private func connect(_ slot: PGPoolSlot, fileID: String, line: Int) async throws {
        if await withTaskExecutorPreference(slot.executor, operation: { slot.hasLiveConnection() }) { return }
        var attempt = 0
        while true {
            attempt += 1
            let info = self.info
            let opened = await withTaskExecutorPreference(slot.executor) {
                Result { () throws(PGError) in try slot.open(info, fileID: fileID, line: line) }
            }
            switch opened {
            case .success:
                return
            case .failure(let error):
                let retry = configuration.connectRetry
                guard retry.allowsAttempt(after: attempt) else {
                    throw PGError(
                        .connect, sqlState: error.sqlState ?? "08001",
                        message: "could not connect after \(attempt) attempt\(attempt == 1 ? "" : "s"): \(error.message)",
                        fileID: fileID, line: line
                    )
                }
                try await Task.sleep(for: retry.delay(afterAttempt: attempt))
            }
        }
    }
}

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

extension PGPool {
    /// A caller waiting for a slot.
    struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<PGPoolSlot, any Error>
        /// Fails the waiter after ``Configuration/maxWait``; cancelled when it gets a slot.
        var timer: Task<Void, Never>?
    }
}
