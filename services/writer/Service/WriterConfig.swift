public import AdrecsRuntime
public import Configuration

/// Configuration of the writer service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `ops.host` (`OPS_HOST`), `ops.port` (`OPS_PORT`): the ops HTTP server (`/health`, `/metrics`);
///   defaults `127.0.0.1` and 9103; see OpsHTTPConfig.
public struct WriterConfig: Sendable {
    public static let defaultOpsPort = 9103

    public var logging: LoggingConfig
    public var ops: OpsHTTPConfig

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.ops = try OpsHTTPConfig(config: config, defaultPort: Self.defaultOpsPort)
    }
}
