public import AdrecsDatabase
public import AdrecsPipeline
public import AdrecsRuntime
public import AdrecsStorage
public import Configuration

/// Configuration of the models service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `ops.host` (`OPS_HOST`), `ops.port` (`OPS_PORT`): the ops HTTP server (`/health`, `/metrics`);
///   defaults `127.0.0.1` and 9102; see OpsHTTPConfig.
/// - `db.*` (`DB_URL`, `DB_SCHEMA`, `DB_POOL_SIZE`): the run ledger; see DatabaseConfig.
/// - `s3.*`, `aws.*` (`S3_ENDPOINT`, `S3_BUCKET`, `AWS_ACCESS_KEY_ID`, …): see StorageConfig.
/// - `messaging.models.endpoint` (`MESSAGING_MODELS_ENDPOINT`): where ingest's PUSH is bound; this
///   service connects a PULL there; default `tcp://127.0.0.1:5557`.
/// - `messaging.writer.endpoint` (`MESSAGING_WRITER_ENDPOINT`): where the writer's PULL is bound; this
///   service connects a PUSH there; default `tcp://127.0.0.1:5558`.
/// - `messaging.send.timeout.ms` (`MESSAGING_SEND_TIMEOUT_MS`): how long a `ModelsCompleted` may wait
///   for a writer; default 5000.
/// - `ledger.*` (`LEDGER_HEARTBEAT_SECONDS`, `LEDGER_STALE_SECONDS`, `LEDGER_MAX_ATTEMPTS`,
///   `LEDGER_REDELIVER_SECONDS`, `LEDGER_SWEEP_SECONDS`): the stage runtime; see StageSettings.
public struct ModelsConfig: Sendable {
    public static let defaultOpsPort = 9102
    public static let defaultModelsEndpoint = "tcp://127.0.0.1:5557"
    public static let defaultWriterEndpoint = "tcp://127.0.0.1:5558"
    public static let defaultSendTimeoutMilliseconds = 5000

    /// Every key above: `adrecs-models --help`, the README table and the start-up log.
    public static let settings = SettingsCatalog(
        LoggingConfig.settings, OpsHTTPConfig.settings(defaultPort: defaultOpsPort), DatabaseConfig.settings, StorageConfig.settings,
        [
            Setting("MESSAGING_MODELS_ENDPOINT", default: defaultModelsEndpoint, "Where ingest's PUSH is bound; this service connects a PULL."),
            Setting("MESSAGING_WRITER_ENDPOINT", default: defaultWriterEndpoint, "Where the writer's PULL is bound; this service connects a PUSH."),
            Setting("MESSAGING_SEND_TIMEOUT_MS", default: "\(defaultSendTimeoutMilliseconds)", "How long a finished day's message may wait for a writer."),
        ],
        StageSettings.settings)

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig
    public var database: DatabaseConfig
    public var storage: StorageConfig
    public var modelsEndpoint: String
    public var writerEndpoint: String
    public var sendTimeout: Duration
    public var runtime: StageSettings

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
        self.database = try DatabaseConfig(config: config)
        self.storage = try StorageConfig(config: config)
        self.modelsEndpoint = try ConfigValues.endpoint(config, "messaging.models.endpoint", default: Self.defaultModelsEndpoint)
        self.writerEndpoint = try ConfigValues.endpoint(config, "messaging.writer.endpoint", default: Self.defaultWriterEndpoint)
        self.sendTimeout = .milliseconds(try ConfigValues.positiveInt(config, "messaging.send.timeout.ms", default: Self.defaultSendTimeoutMilliseconds))
        self.runtime = try StageSettings(config: config)
    }
}
