import CLibPQ

extension PGConnection {
    /// Runs one statement with bound parameters (`PQexecParams`, text format) and returns its rows.
    ///
    /// `$1`, `$2`, … in `sql` refer to `parameters`; `nil` binds NULL. Only one statement is
    /// allowed per call, and values are never spliced into the SQL text.
    @discardableResult
    public func query(
        _ sql: String, _ parameters: [(any PGEncodable)?] = [], fileID: String = #fileID, line: Int = #line
    ) throws(PGError) -> PGResult {
        try run(sql, parameters, operation: .query, fileID: fileID, line: line)
    }

    /// Runs one statement with bound parameters and returns the number of rows it affected.
    @discardableResult
    public func execute(
        _ sql: String, _ parameters: [(any PGEncodable)?] = [], fileID: String = #fileID, line: Int = #line
    ) throws(PGError) -> Int {
        try run(sql, parameters, operation: .query, fileID: fileID, line: line).affectedRows
    }

    /// Runs `sql` and returns its result when it succeeded (or entered COPY IN, if `allowCopyIn`).
    /// Once a cancellation was requested (see ``PGCanceller``), a `cancellable` statement is not
    /// sent and fails with `57014`.
    @discardableResult
    func run(
        _ sql: String, _ parameters: [(any PGEncodable)?], operation: PGError.Operation,
        allowCopyIn: Bool = false, cancellable: Bool = true, fileID: String, line: Int
    ) throws(PGError) -> PGResult {
        if cancellable, canceller?.isRequested == true {
            throw PGError(operation, sqlState: "57014", message: "canceling statement: the task was cancelled", fileID: fileID, line: line)
        }
        let texts = parameters.map { $0?.pgText }
        if let position = texts.firstIndex(where: { $0?.utf8.contains(0) == true }) {
            throw PGError(
                operation, sqlState: "22021",
                message: "parameter $\(position + 1) contains a NUL byte, which PostgreSQL text cannot hold",
                fileID: fileID, line: line
            )
        }
        let raw = CStringArray.with(texts) { pointers in
            PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        guard let raw else { throw connectionError(operation, fileID: fileID, line: line) }
        let result = PGResult(raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        case PGRES_COPY_IN where allowCopyIn:
            return result
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            let message = "COPY is only supported through copyFrom(_:_:)"
            abandonCopy(reason: message)
            throw PGError(operation, sqlState: "0A000", message: message, fileID: fileID, line: line)
        default:
            throw error(from: raw, operation, fileID: fileID, line: line)
        }
    }

    /// The server's error in `result`, or libpq's when the server sent none.
    func error(from result: OpaquePointer, _ operation: PGError.Operation, fileID: String, line: Int) -> PGError {
        func field(_ code: UInt8) -> String? {
            PQresultErrorField(result, Int32(code)).map { String(cString: $0) }
        }
        let primary = field(UInt8(ascii: "M")) ?? Self.trimmed(PQresultErrorMessage(result))
        let sqlState = field(UInt8(ascii: "C")) ?? (isHealthy ? nil : "08006")
        return PGError(
            operation, sqlState: sqlState,
            message: primary.isEmpty ? lastErrorMessage : primary,
            detail: field(UInt8(ascii: "D")),
            fileID: fileID, line: line
        )
    }
}
