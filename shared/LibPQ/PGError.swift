/// The one error type of `LibPQ`: a failed libpq operation, a server error, or a decoding mismatch.
///
/// `sqlState` is the server's `PG_DIAG_SQLSTATE` when it sent one. Failures that libpq itself
/// detects carry the matching connection-class code instead: `08001` when a connection cannot be
/// established, `08006` when an open connection is lost. ``isConnectionFailure`` tells both apart
/// from ordinary SQL errors. Messages never contain the connection string or a password.
public struct PGError: Error, Sendable, CustomStringConvertible {
    /// The five-character SQLSTATE (`23505`, `42P01`, …), or `nil` for client-side errors
    /// such as a decoding mismatch.
    public let sqlState: String?
    /// The primary message (`PG_DIAG_MESSAGE_PRIMARY`, `PQerrorMessage`, or the wrapper's own).
    public let message: String
    /// The server's `DETAIL` line, when it sent one.
    public let detail: String?
    /// What was being done when the error happened.
    public let operation: Operation
    /// Where the failing call was made.
    public let fileID: String
    public let line: Int

    public init(
        _ operation: Operation,
        sqlState: String? = nil,
        message: String,
        detail: String? = nil,
        fileID: String = #fileID,
        line: Int = #line
    ) {
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.fileID = fileID
        self.line = line
    }

    /// `true` when the connection is unusable: SQLSTATE class `08` (connection exception), or
    /// `57P01`…`57P03` (the server is shutting down, crashed or is starting up).
    public var isConnectionFailure: Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// `true` when no pooled connection became free within ``PGPool/Configuration/maxWait``.
    public var isPoolTimeout: Bool { operation == .pool && sqlState == Self.poolTimeoutState }

    /// PostgreSQL's `too_many_connections`, for a pool that lent out all its connections too long.
    static let poolTimeoutState = "53300"

    public var description: String {
        var text = "PostgreSQL \(operation.rawValue) failed"
        if let sqlState { text += " [\(sqlState)]" }
        text += ": \(message)"
        if let detail { text += " (\(detail))" }
        return text + " at \(fileID):\(line)"
    }
}

extension PGError {
    /// The kind of operation that failed.
    public enum Operation: String, Sendable, Hashable {
        case connect
        case query
        case transaction
        case copy
        case listen
        case decode
        case pool
    }
}
