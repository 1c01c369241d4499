public import AdrecsDatabase
public import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsStorage
public import Configuration

/// Configuration of the writer service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `ops.host` (`OPS_HOST`), `ops.port` (`OPS_PORT`): the ops HTTP server (`/health`, `/metrics`);
///   defaults `127.0.0.1` and 9103; see OpsHTTPConfig.
/// - `db.*` (`DB_URL`, `DB_SCHEMA`, `DB_POOL_SIZE`): the database and run ledger; see DatabaseConfig.
/// - `s3.*`, `aws.*` (`S3_ENDPOINT`, `S3_BUCKET`, `AWS_ACCESS_KEY_ID`, …): see StorageConfig.
/// - `messaging.writer.endpoint` (`MESSAGING_WRITER_ENDPOINT`): where this service binds its PULL
///   (models connect their PUSH); default `tcp://127.0.0.1:5558`.
/// - `ledger.*` (`LEDGER_HEARTBEAT_SECONDS`, `LEDGER_STALE_SECONDS`, `LEDGER_MAX_ATTEMPTS`,
///   `LEDGER_REDELIVER_SECONDS`, `LEDGER_SWEEP_SECONDS`): the stage runtime; see StageSettings.
/// - `writer.retry.seconds` (`WRITER_RETRY_SECONDS`): how long an unreachable PostgreSQL is retried
///   (with backoff) before the stage is given back for another attempt; default 180, to outlast a
///   database failover.
/// - `writer.min.rows.fraction` (`WRITER_MIN_ROWS_FRACTION`): a day with fewer recommendation rows
///   than this fraction of the median of the last 7 committed days (or with none) is not committed
///   unless its run was kicked with `force` (see `SuspiciousDay`); 0...1, default 0.5 (0 keeps
///   only the empty-day check).
public struct WriterConfig: Sendable {
    public static let defaultOpsPort = 9103
    public static let defaultWriterEndpoint = "tcp://127.0.0.1:5558"
    public static let defaultRetrySeconds = 180

    /// Every key above: `adrecs-writer --help`, the README table and the start-up log.
    public static let settings = SettingsCatalog(
        LoggingConfig.settings, OpsHTTPConfig.settings(defaultPort: defaultOpsPort), DatabaseConfig.settings, StorageConfig.settings,
        [Setting("MESSAGING_WRITER_ENDPOINT", default: defaultWriterEndpoint, "This service binds its PULL here; models connect their PUSH.")],
        StageSettings.settings,
        [
            Setting("WRITER_RETRY_SECONDS", default: "\(defaultRetrySeconds)",
                    "How long an unreachable PostgreSQL is retried (with backoff) before the stage is given back; outlasts a database failover."),
            Setting("WRITER_MIN_ROWS_FRACTION", default: "\(SuspiciousDay.defaultMinFraction)",
                    "A day with fewer recommendation rows than this times the median of the last 7 committed days (or none) is refused unless forced; 0...1, 0 keeps only the empty-day check."),
        ])

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig
    public var database: DatabaseConfig
    public var storage: StorageConfig
    public var writerEndpoint: String
    public var runtime: StageSettings
    public var retryBudget: Duration
    public var minRowsFraction: Double

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
        self.database = try DatabaseConfig(config: config)
        self.storage = try StorageConfig(config: config)
        self.writerEndpoint = try ConfigValues.endpoint(config, "messaging.writer.endpoint", default: Self.defaultWriterEndpoint)
        self.runtime = try StageSettings(config: config)
        self.retryBudget = .seconds(try ConfigValues.positiveInt(config, "writer.retry.seconds", default: Self.defaultRetrySeconds))
        self.minRowsFraction = try Self.fraction(config, "writer.min.rows.fraction", default: SuspiciousDay.defaultMinFraction)
    }

    /// A number in 0...1.
    static func fraction(_ config: ConfigReader, _ key: String, default value: Double) throws(ConfigError) -> Double {
        guard let raw = config.string(forKey: ConfigKey(key)) else { return value }
        guard let parsed = Double(raw), parsed >= 0, parsed <= 1 else {
            throw ConfigError(key: key, message: "not a number between 0 and 1 '\(raw)'")
        }
        return parsed
    }
}
