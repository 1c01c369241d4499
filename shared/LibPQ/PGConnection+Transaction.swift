import CLibPQ

extension PGConnection {
    /// Runs `body` in a transaction: `BEGIN`, then `COMMIT` if `body` returns, `ROLLBACK` if it throws.
    ///
    /// Throws `25001` if a transaction is already open (no nesting), and `25P02` if the server
    /// rolled back at `COMMIT` because a statement inside failed and `body` swallowed its error.
    /// A failed `ROLLBACK` (e.g. on a lost connection) is ignored and `body`'s error rethrown.
    public func transaction<T>(
        fileID: String = #fileID, line: Int = #line, _ body: (PGConnection) throws -> T
    ) throws -> T {
        guard !isInTransaction else {
            throw PGError(
                .transaction, sqlState: "25001", message: "a transaction is already in progress",
                fileID: fileID, line: line
            )
        }
        try run("BEGIN", [], operation: .transaction, fileID: fileID, line: line)
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackIfNeeded()
            throw error
        }
        let commit = try run("COMMIT", [], operation: .transaction, fileID: fileID, line: line)
        guard commit.commandTag == "COMMIT" else {
            throw PGError(
                .transaction, sqlState: "25P02",
                message: "transaction was rolled back at COMMIT because a statement in it failed",
                fileID: fileID, line: line
            )
        }
        return value
    }

    /// Rolls back an open transaction, ignoring failures; a lost connection needs no rollback.
    func rollbackIfNeeded() {
        guard isHealthy, isInTransaction else { return }
        _ = try? run("ROLLBACK", [], operation: .transaction, cancellable: false, fileID: #fileID, line: #line)
    }
}
