public import AdrecsDatabase
public import AdrecsRuntime
public import Configuration

/// Configuration of the api service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `http.host` (`HTTP_HOST`): the address to bind; default `127.0.0.1` (`0.0.0.0` in a container).
/// - `port` (`PORT`): the public HTTP port, 0...65535; default 8080; 0 picks a free port.
/// - `api.reload.seconds` (`API_RELOAD_SECONDS`): the snapshot reload timer, 1...3600; default 30
///   (a `NOTIFY adrecs_days` reloads at once; the timer catches a missed notification).
/// - `api.access.log` (`API_ACCESS_LOG`): one structured log line per request; default false.
/// - `db.url` (`DB_URL`, secret), `db.schema` (`DB_SCHEMA`), `db.pool.size` (`DB_POOL_SIZE`): see `DatabaseConfig`.
public struct APIConfig: Sendable {
    public static let defaultPort = 8080
    public static let defaultReloadSeconds = 30

    /// Every key above: `adrecs-api --help`, the README table and the start-up log.
    public static let settings = SettingsCatalog(
        LoggingConfig.settings,
        [
            Setting("HTTP_HOST", default: OpsHTTPConfig.defaultHost, "The address to bind (0.0.0.0 in a container)."),
            Setting("PORT", default: "\(defaultPort)", "The public HTTP port (API, /health, /ready, /metrics); 0 picks a free port."),
        ],
        DatabaseConfig.settings,
        [
            Setting("API_RELOAD_SECONDS", default: "\(defaultReloadSeconds)",
                    "The snapshot reload timer, 1...3600 (NOTIFY adrecs_days reloads at once; the timer catches a missed notification)."),
            Setting("API_ACCESS_LOG", default: "false", "true logs one structured line per request."),
        ])

    public var logging: LoggingConfig
    /// The one HTTP server: the public API, `/health`, `/ready`, `/metrics`.
    public var http: OpsHTTPConfig
    public var reloadInterval: Duration
    public var accessLog: Bool
    public var database: DatabaseConfig

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.http = try OpsHTTPConfig(config: config, hostKey: "http.host", portKey: "port", defaultPort: Self.defaultPort)
        let seconds = config.int(forKey: "api.reload.seconds", default: Self.defaultReloadSeconds)
        guard (1...3600).contains(seconds) else {
            throw ConfigError(key: "api.reload.seconds", message: "must be 1...3600 seconds, got \(seconds)")
        }
        self.reloadInterval = .seconds(seconds)
        self.accessLog = config.bool(forKey: "api.access.log", default: false)
        self.database = try DatabaseConfig(config: config)
    }

    public init(
        logging: LoggingConfig = LoggingConfig(), http: OpsHTTPConfig, reloadInterval: Duration = .seconds(30),
        accessLog: Bool = false, database: DatabaseConfig = DatabaseConfig(url: DatabaseConfig.defaultURL)
    ) {
        self.logging = logging
        self.http = http
        self.reloadInterval = reloadInterval
        self.accessLog = accessLog
        self.database = database
    }
}
