public import AdrecsDatabase
import AdrecsPipeline
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
/// - `ledger.heartbeat.seconds` (`LEDGER_HEARTBEAT_SECONDS`): heartbeat period while working; default 2.
/// - `writer.retry.seconds` (`WRITER_RETRY_SECONDS`): how long an unreachable PostgreSQL is retried
///   (with backoff) before the stage fails; default 180, to outlast a database failover.
public struct WriterConfig: Sendable {
    public static let defaultOpsPort = 9103
    public static let defaultWriterEndpoint = "tcp://127.0.0.1:5558"

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig
    public var database: DatabaseConfig
    public var storage: StorageConfig
    public var writerEndpoint: String
    public var heartbeat: Duration
    public var retryBudget: Duration

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
        self.database = try DatabaseConfig(config: config)
        self.storage = try StorageConfig(config: config)
        self.writerEndpoint = try ConfigValues.endpoint(config, "messaging.writer.endpoint", default: Self.defaultWriterEndpoint)
        self.heartbeat = .seconds(try ConfigValues.positiveInt(config, "ledger.heartbeat.seconds", default: 2))
        self.retryBudget = .seconds(try ConfigValues.positiveInt(config, "writer.retry.seconds", default: 180))
    }
}
