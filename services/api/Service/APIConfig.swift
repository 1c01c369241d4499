public import AdrecsRuntime
public import Configuration

/// Configuration of the api service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
/// - `http.host` (`HTTP_HOST`): the address to bind; default `127.0.0.1` (`0.0.0.0` in a container).
/// - `port` (`PORT`): the public HTTP port, 0...65535; default 8080; 0 picks a free port.
public struct APIConfig: Sendable {
    public static let defaultPort = 8080

    public var logging: LoggingConfig
    /// The one HTTP server: the public API and its `/health`, `/metrics`.
    public var http: OpsHTTPConfig

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
        self.http = try OpsHTTPConfig(config: config, hostKey: "http.host", portKey: "port", defaultPort: Self.defaultPort)
    }
}
