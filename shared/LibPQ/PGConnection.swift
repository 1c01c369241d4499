import CLibPQ

/// One libpq connection (`PGconn`). Every method blocks the calling thread.
///
/// Not `Sendable`: libpq allows a `PGconn` to move between threads but never to be used by two
/// at once, so a connection has one owner. Use it on a blocking thread (a ``PGPool`` closure, or
/// a job on a serial `AdrecsConcurrency.BlockingExecutor`), never on Swift's cooperative pool.
/// On Linux a concurrent dispatch queue runs on the same few threads as the cooperative pool,
/// so blocking there stalls every task.
/// `deinit` closes it (`PQfinish`).
public final class PGConnection {
    let handle: OpaquePointer
    /// Set when the server announced, with a `FATAL` message, that it is closing the connection.
    var closedByServer = false
    /// Cancels the running statement from another thread; `nil` if libpq could not make one.
    let canceller: PGCanceller?

    /// Connects (`PQconnectdbParams`), failing with a ``PGError`` whose message is libpq's
    /// `PQerrorMessage` with the connection string and password removed.
    ///
    /// The client encoding is set to UTF-8, which Swift strings require. Server notices
    /// (`NOTICE`, `WARNING` messages that are not errors) are discarded rather than printed.
    /// The connection keeps no reference to itself: libpq's notice hook gets an unretained
    /// pointer, valid until `deinit` calls `PQfinish`.
    public init(_ info: PGConnectInfo, fileID: String = #fileID, line: Int = #line) throws(PGError) {
        if case .failure(let error) = info.parsedOptions(fileID: fileID, line: line) { throw error }
        let keywords: [String?] = ["fallback_application_name", "dbname"]
        let values: [String?] = [info.applicationName, info.dsn]
        let connection = CStringArray.with(keywords + [nil]) { keywordPointers in
            CStringArray.with(values + [nil]) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PGError(.connect, sqlState: "08001", message: "out of memory", fileID: fileID, line: line)
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = info.redact(Self.trimmed(PQerrorMessage(connection)))
            PQfinish(connection)
            throw PGError(.connect, sqlState: "08001", message: message, fileID: fileID, line: line)
        }
        handle = connection
        canceller = PGCanceller(connection)
        // Notices (`NOTICE: drop cascades to …`) would go to stderr; only a FATAL one is kept,
        // as a sign the connection is going away (a shutdown arrives before the socket closes).
        PQsetNoticeReceiver(connection, receiveNotice, Unmanaged.passUnretained(self).toOpaque())
        if PQparameterStatus(connection, "client_encoding").map({ String(cString: $0) }) != "UTF8",
           PQsetClientEncoding(connection, "UTF8") != 0 {
            throw PGError(
                .connect, sqlState: "22021",
                message: "cannot set client_encoding to UTF8: \(Self.trimmed(PQerrorMessage(connection)))",
                fileID: fileID, line: line
            )
        }
    }

    deinit {
        PQfinish(handle)
    }

    /// `true` while the connection is usable: `PQstatus == CONNECTION_OK` and the server has not
    /// announced it is closing it. A silently dropped connection is noticed on the next read or write.
    public var isHealthy: Bool { PQstatus(handle) == CONNECTION_OK && !closedByServer }

    /// The server process ID serving this connection (`PQbackendPID`).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// The server version as an integer, e.g. `150008` (`PQserverVersion`).
    public var serverVersion: Int { Int(PQserverVersion(handle)) }

    /// `true` inside a transaction block, including a failed one (`PQtransactionStatus`).
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }

    /// libpq's last error message, without its trailing newline.
    var lastErrorMessage: String { Self.trimmed(PQerrorMessage(handle)) }

    /// An error for a failure libpq reported on the connection itself rather than in a result.
    func connectionError(_ operation: PGError.Operation, fileID: String, line: Int) -> PGError {
        PGError(
            operation, sqlState: isHealthy ? nil : "08006",
            message: lastErrorMessage.isEmpty ? "connection failure" : lastErrorMessage,
            fileID: fileID, line: line
        )
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = Substring(String(cString: message))
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}

/// libpq's notice receiver for every ``PGConnection``: drops notices, but marks the connection
/// closed when the server sends an unsolicited `FATAL` (e.g. `57P01` on shutdown).
private func receiveNotice(_ connection: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let connection, let result,
          let severity = PQresultErrorField(result, Int32(UInt8(ascii: "V"))) else { return }
    let level = String(cString: severity)
    if level == "FATAL" || level == "PANIC" {
        Unmanaged<PGConnection>.fromOpaque(connection).takeUnretainedValue().closedByServer = true
    }
}
