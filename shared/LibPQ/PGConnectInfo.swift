import CLibPQ

/// Where and how to connect: a libpq connection string, kept out of logs and error messages.
///
/// The string is handed to libpq unchanged, so every libpq keyword works (`sslmode`,
/// `connect_timeout`, `target_session_attrs`, …) and nothing here overrides it. Accepted forms:
/// - a URI: `postgresql://user@host:5432/db?sslmode=require`;
/// - key=value pairs: `host=db port=5432 dbname=adrecs sslmode=verify-full`;
/// - an empty string: libpq reads its own environment keys (`PGHOST`, `PGPORT`, `PGDATABASE`,
///   `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, …) and `~/.pgpass`.
///
/// `description` shows host, port, database, user and sslmode only, never the password.
public struct PGConnectInfo: Sendable, CustomStringConvertible {
    let dsn: String
    /// Sent as libpq's `fallback_application_name`: used only when the string sets no `application_name`.
    public let applicationName: String

    public init(_ dsn: String = "", applicationName: String = "adrecs") {
        self.dsn = dsn
        self.applicationName = applicationName
    }

    public var description: String {
        guard case .success(let options) = parsedOptions() else { return "PGConnectInfo(<invalid>)" }
        let shown = ["host", "hostaddr", "port", "dbname", "user", "sslmode"].compactMap { key in
            options[key].map { "\(key)=\($0)" }
        }
        return "PGConnectInfo(\(shown.isEmpty ? "<environment>" : shown.joined(separator: " ")))"
    }

    /// `true` when libpq would parse `dsn` as a connection string rather than a bare database name.
    var isConnectionString: Bool {
        dsn.contains("=") || dsn.hasPrefix("postgresql://") || dsn.hasPrefix("postgres://")
    }

    /// The options set explicitly in the string (`PQconninfoParse`); libpq's defaults are not included.
    func parsedOptions(fileID: String = #fileID, line: Int = #line) -> Result<[String: String], PGError> {
        guard isConnectionString else { return .success(dsn.isEmpty ? [:] : ["dbname": dsn]) }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(dsn, &errorMessage) else {
            let raw = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            return .failure(PGError(
                .connect, sqlState: "08001",
                message: "invalid connection string: \(Self.redactQuoted(raw))",
                fileID: fileID, line: line
            ))
        }
        defer { PQconninfoFree(options) }
        var result: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { result[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return .success(result)
    }

    /// Removes the connection string and the password from a libpq message.
    func redact(_ message: String) -> String {
        var text = message
        var secrets = [dsn]
        if case .success(let options) = parsedOptions(), let password = options["password"] { secrets.append(password) }
        for secret in secrets where !secret.isEmpty {
            text = text.replacing(secret, with: "***")
        }
        return text
    }

    /// libpq's parse errors quote the offending part of the string, which may hold the password:
    /// keep the message's shape and drop every quoted fragment longer than one character.
    static func redactQuoted(_ message: String) -> String {
        let parts = message.split(separator: "\"", omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            index.isMultiple(of: 2) || part.count <= 1 ? String(part) : "…"
        }.joined(separator: "\"")
    }
}
