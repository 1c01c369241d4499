import CLibPQ

extension PGConnection {
    /// Streams data into `COPY … FROM STDIN` and returns the number of rows loaded.
    ///
    /// `body` feeds the data in any number of chunks through the ``PGCopyWriter`` (text or CSV
    /// format, as `sql` says; chunks need not end on row boundaries). Then the copy is ended
    /// (`PQputCopyEnd`) and its final result checked, so a bad row surfaces as a ``PGError``
    /// with the server's SQLSTATE (`22P02`, `23505`, …) and nothing is loaded. If `body` throws,
    /// the copy is aborted on the server and `body`'s error is rethrown.
    @discardableResult
    public func copyFrom(
        _ sql: String, fileID: String = #fileID, line: Int = #line, _ body: (PGCopyWriter) throws -> Void
    ) throws -> Int {
        let start = try run(sql, [], operation: .copy, allowCopyIn: true, fileID: fileID, line: line)
        guard PQresultStatus(start.handle) == PGRES_COPY_IN else {
            throw PGError(
                .copy, sqlState: "42601", message: "statement is not COPY … FROM STDIN",
                fileID: fileID, line: line
            )
        }
        let writer = PGCopyWriter(connection: self, fileID: fileID, line: line)
        do {
            try body(writer)
        } catch {
            abandonCopy(reason: "COPY aborted by the client")
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw finishCopyAfterFailure(fileID: fileID, line: line)
        }
        return try copyResult(fileID: fileID, line: line)
    }

    /// Sends one chunk of COPY data (`PQputCopyData`, blocking mode).
    func putCopyData(_ bytes: UnsafeRawBufferPointer, fileID: String, line: Int) throws(PGError) {
        var remaining = bytes
        while !remaining.isEmpty {
            let count = min(remaining.count, 1 << 30)
            let sent = remaining.baseAddress!.withMemoryRebound(to: CChar.self, capacity: count) {
                PQputCopyData(handle, $0, Int32(count))
            }
            guard sent == 1 else { throw finishCopyAfterFailure(fileID: fileID, line: line) }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[count...])
        }
    }

    /// Reads the results that end a COPY; the first one carries its outcome.
    private func copyResult(fileID: String, line: Int) throws(PGError) -> Int {
        var outcome: Result<Int, PGError> = .failure(connectionError(.copy, fileID: fileID, line: line))
        var first = true
        while let raw = PQgetResult(handle) {
            let result = PGResult(raw)
            if first {
                outcome = PQresultStatus(raw) == PGRES_COMMAND_OK
                    ? .success(result.affectedRows)
                    : .failure(error(from: raw, .copy, fileID: fileID, line: line))
                first = false
            }
        }
        return try outcome.get()
    }

    /// After a failed `PQputCopyData`/`PQputCopyEnd`: the server's error if it sent one, else libpq's.
    private func finishCopyAfterFailure(fileID: String, line: Int) -> PGError {
        let fallback = connectionError(.copy, fileID: fileID, line: line)
        guard isHealthy else { return fallback }
        if PQputCopyEnd(handle, "COPY aborted by the client") == -1 && !isHealthy { return fallback }
        do {
            _ = try copyResult(fileID: fileID, line: line)
            return fallback
        } catch {
            return error
        }
    }

    /// Ends a COPY that will not be completed, leaving the connection ready for the next statement.
    func abandonCopy(reason: String) {
        while let raw = PQgetResult(handle) {
            let result = PGResult(raw)
            switch PQresultStatus(result.handle) {
            case PGRES_COPY_IN:
                if PQputCopyEnd(handle, reason) != 1 { return }
            case PGRES_COPY_OUT:
                var buffer: UnsafeMutablePointer<CChar>?
                while PQgetCopyData(handle, &buffer, 0) > 0 {
                    PQfreemem(buffer)
                    buffer = nil
                }
            default:
                continue
            }
        }
    }
}
