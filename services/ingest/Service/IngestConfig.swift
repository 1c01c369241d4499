public import AdrecsDatabase
public import AdrecsPipeline
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
/// - `ledger.*` (`LEDGER_HEARTBEAT_SECONDS`, `LEDGER_STALE_SECONDS`, `LEDGER_MAX_ATTEMPTS`,
///   `LEDGER_REDELIVER_SECONDS`, `LEDGER_SWEEP_SECONDS`): the stage runtime; see StageSettings. A kick
///   abandons an active run of the date with no activity for `LEDGER_STALE_SECONDS`.
public struct IngestConfig: Sendable {
    public static let defaultOpsPort = 9101

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig
    public var database: DatabaseConfig
    public var storage: StorageConfig
    public var rawLayout: RawInputLayout
    public var messaging: IngestMessagingConfig
    public var runtime: StageSettings

    /// Every key above: `adrecs-ingest --help`, the README table and the start-up log.
    public static let settings = SettingsCatalog(
        LoggingConfig.settings, OpsHTTPConfig.settings(defaultPort: defaultOpsPort), DatabaseConfig.settings,
        StorageConfig.settings, RawInputLayout.settings, IngestMessagingConfig.settings, StageSettings.settings)

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
        self.database = try DatabaseConfig(config: config)
        self.storage = try StorageConfig(config: config)
        self.rawLayout = try RawInputLayout(config: config)
        self.messaging = try IngestMessagingConfig(config: config)
        self.runtime = try StageSettings(config: config)
    }
}
