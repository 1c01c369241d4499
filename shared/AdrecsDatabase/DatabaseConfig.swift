public import Configuration
public import AdrecsRuntime

/// Where the adrecs database is and how many connections a service may hold.
///
/// Keys (environment name in brackets):
/// - `db.url` (`DB_URL`, secret): a libpq connection string or `postgresql://` URI; default
///   ``defaultURL``. Every libpq option in it (`sslmode`, `connect_timeout`, …) is kept.
/// - `db.schema` (`DB_SCHEMA`): the schema holding adrecs' tables, `^[a-z_][a-z0-9_]{0,62}$`;
///   default `public`. Tests use a schema of their own.
/// - `db.pool.size` (`DB_POOL_SIZE`): connections per pool, 1...64; default 4.
public struct DatabaseConfig: Sendable {
    public static let defaultURL = "postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable"

    public var url: String
    public var schema: String
    public var poolSize: Int

    public init(url: String, schema: String = "public", poolSize: Int = 4) {
        self.url = url
        self.schema = schema
        self.poolSize = poolSize
    }

    public init(config: ConfigReader) throws(ConfigError) {
        let url = config.string(forKey: "db.url", isSecret: true, default: Self.defaultURL)
        guard !url.isEmpty else { throw ConfigError(key: "db.url", message: "empty connection string") }
        let schema = config.string(forKey: "db.schema", default: "public")
        guard Self.isValidSchemaName(schema) else {
            throw ConfigError(key: "db.schema", message: "not a lower-case schema name (^[a-z_][a-z0-9_]{0,62}$) '\(schema)'")
        }
        let rawSize = config.string(forKey: "db.pool.size", default: "4")
        guard let poolSize = Int(rawSize), (1...64).contains(poolSize) else {
            throw ConfigError(key: "db.pool.size", message: "not a pool size (1...64) '\(rawSize)'")
        }
        self.init(url: url, schema: schema, poolSize: poolSize)
    }

    /// `true` for `^[a-z_][a-z0-9_]{0,62}$`: such a name needs no quoting and cannot inject SQL.
    public static func isValidSchemaName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 63 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
        func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        return isLetter(first) && bytes.dropFirst().allSatisfy { isLetter($0) || isDigit($0) }
    }
}
