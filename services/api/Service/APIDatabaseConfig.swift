public import AdrecsRuntime
public import Configuration

/// Where the api reads committed days (keys as in the pipeline's design):
/// - `db.url` (`DB_URL`, secret): a libpq connection string; default
///   `postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable`.
/// - `db.schema` (`DB_SCHEMA`): the schema holding the tables; default `public`.
/// - `db.pool.size` (`DB_POOL_SIZE`): connections, 1...64; default 2 (reloads are serial).
public struct APIDatabaseConfig: Sendable {
    public static let defaultURL = "postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable"

    public var url: String
    public var schema: String
    public var poolSize: Int

    public init(url: String = APIDatabaseConfig.defaultURL, schema: String = "public", poolSize: Int = 2) {
        self.url = url
        self.schema = schema
        self.poolSize = poolSize
    }

    public init(config: ConfigReader) throws(ConfigError) {
        url = config.string(forKey: "db.url", isSecret: true, default: Self.defaultURL)
        schema = config.string(forKey: "db.schema", default: "public")
        poolSize = config.int(forKey: "db.pool.size", default: 2)
        guard !schema.isEmpty else { throw ConfigError(key: "db.schema", message: "must not be empty") }
        guard (1...64).contains(poolSize) else {
            throw ConfigError(key: "db.pool.size", message: "must be 1...64, got \(poolSize)")
        }
    }
}
