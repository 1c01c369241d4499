public import AdrecsDatabase
public import AdrecsRuntime
public import AdrecsStorage
public import Configuration

/// Configuration of the ingest service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `ops.host` (`OPS_HOST`), `ops.port` (`OPS_PORT`): the ops and control HTTP server (`/health`,
///   `/metrics`, `/runs`); defaults `127.0.0.1` and 9101; see OpsHTTPConfig.
/// - `db.url` (`DB_URL`), `db.schema` (`DB_SCHEMA`), `db.pool.size` (`DB_POOL_SIZE`): see DatabaseConfig.
/// - `s3.endpoint`, `s3.region`, `s3.bucket`, `s3.addressing`, `aws.access.key.id`,
///   `aws.secret.access.key`, `aws.session.token` (`S3_ENDPOINT` …): see StorageConfig.
/// - `ingest.raw.layout` (`INGEST_RAW_LAYOUT`), `ingest.raw.prefix` (`INGEST_RAW_PREFIX`): see RawInputLayout.
/// - `messaging.models.endpoint` (`MESSAGING_MODELS_ENDPOINT`), `messaging.send.timeout.ms`
///   (`MESSAGING_SEND_TIMEOUT_MS`): see IngestMessagingConfig.
/// - `ledger.heartbeat.seconds` (`LEDGER_HEARTBEAT_SECONDS`, default 2): how often a running stage beats.
/// - `ledger.stale.seconds` (`LEDGER_STALE_SECONDS`, default 30): a kick abandons an active run
///   of the date with no activity for this long.
public struct IngestConfig: Sendable {
    public static let defaultOpsPort = 9101

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig
    public var database: DatabaseConfig
    public var storage: StorageConfig
    public var rawLayout: RawInputLayout
    public var messaging: IngestMessagingConfig
    public var heartbeatInterval: Duration
    public var staleAfter: Duration

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
        self.database = try DatabaseConfig(config: config)
        self.storage = try StorageConfig(config: config)
        self.rawLayout = try RawInputLayout(config: config)
        self.messaging = try IngestMessagingConfig(config: config)
        self.heartbeatInterval = .seconds(try Self.positive(config, "ledger.heartbeat.seconds", default: 2))
        self.staleAfter = .seconds(try Self.positive(config, "ledger.stale.seconds", default: 30))
    }

    /// A positive whole number under `key`, or `defaultValue` when unset.
    static func positive(_ config: ConfigReader, _ key: String, default defaultValue: Int) throws(ConfigError) -> Int {
        guard let raw = config.string(forKey: ConfigKey(key)), !raw.isEmpty else { return defaultValue }
        guard let value = Int(raw), value > 0 else {
            throw ConfigError(key: key, message: "not a positive whole number '\(raw)'")
        }
        return value
    }
}
