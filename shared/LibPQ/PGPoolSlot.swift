import AdrecsConcurrency

/// One place in a ``PGPool``: holds a connection, or none until the next lender opens one.
///
/// `@unchecked Sendable`: the pool lends a slot to one task at a time, and libpq allows a
/// `PGconn` to be used from different threads as long as no two use it at once.
final class PGPoolSlot: @unchecked Sendable {
    /// Where this slot's connection is used; serial, so it runs on a thread of its own.
    let executor = BlockingExecutor(label: "adrecs.pg.connection", concurrent: false)
    private var connection: PGConnection?

    /// `true` if the slot holds a connection that survived its idle time; drops a dead one.
    func hasLiveConnection() -> Bool {
        if let connection, connection.isAliveWhileIdle() { return true }
        connection = nil
        return false
    }

    /// Opens a new connection into the slot.
    func open(_ info: PGConnectInfo, fileID: String, line: Int) throws(PGError) {
        connection = nil
        connection = try PGConnection(info, fileID: fileID, line: line)
    }

    /// Runs `body` with the connection, then drops the connection if it broke, or rolls back a
    /// transaction `body` left open.
    func use<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard let connection else {
            throw PGError(.pool, sqlState: "08003", message: "no connection in pool slot")
        }
        defer {
            connection.rollbackIfNeeded()
            if !connection.isHealthy || connection.isInTransaction { self.connection = nil }
        }
        do {
            return try body(connection)
        } catch let error as PGError where error.isConnectionFailure {
            self.connection = nil
            throw error
        }
    }

    /// The canceller of the slot's connection, if it has one.
    var canceller: PGCanceller? { connection?.canceller }

    /// Closes the connection (`PQfinish`).
    func close() {
        connection = nil
    }
}
