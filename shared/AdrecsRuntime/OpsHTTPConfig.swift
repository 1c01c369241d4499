public import Configuration

/// Where a service's small HTTP server (`/health`, `/metrics`, later its control routes) listens.
///
/// Keys (environment name in brackets):
/// - `ops.host` (`OPS_HOST`): the address to bind; default `127.0.0.1` (set `0.0.0.0` in a container).
/// - `ops.port` (`OPS_PORT`): the TCP port, 0...65535; the default is the service's own
///   (ingest 9101, models 9102, writer 9103); 0 picks a free port.
///
/// The api service reads the same shape from `http.host` (`HTTP_HOST`) and `port` (`PORT`).
public struct OpsHTTPConfig: Sendable, Equatable {
    public static let defaultHost = "127.0.0.1"

    public var host: String
    public var port: Int

    public init(host: String = OpsHTTPConfig.defaultHost, port: Int) {
        self.host = host
        self.port = port
    }

    /// The `OPS_HOST` and `OPS_PORT` settings of a stage whose port defaults to `defaultPort`.
    public static func settings(defaultPort: Int) -> [Setting] {
        [
            Setting("OPS_HOST", default: defaultHost, "The address the ops HTTP server binds (0.0.0.0 in a container)."),
            Setting("OPS_PORT", default: "\(defaultPort)", "The ops HTTP server's port (/health, /ready, /metrics); 0 picks a free port."),
        ]
    }

    /// Reads `ops.host` and `ops.port`, with `defaultPort` when the port is unset.
    public init(config: ConfigReader, defaultPort: Int) throws(ConfigError) {
        try self.init(config: config, hostKey: "ops.host", portKey: "ops.port", defaultPort: defaultPort)
    }

    /// Reads the host and port from the given keys; rejects an empty host and a port outside 0...65535.
    public init(config: ConfigReader, hostKey: String, portKey: String, defaultPort: Int) throws(ConfigError) {
        let host = config.string(forKey: ConfigKey(hostKey), default: Self.defaultHost)
        guard !host.isEmpty, !host.contains(where: \.isWhitespace) else {
            throw ConfigError(key: hostKey, message: "not a host name or address '\(host)'")
        }
        let port: Int
        if let raw = config.string(forKey: ConfigKey(portKey)) {
            guard let parsed = Int(raw), (0...65535).contains(parsed) else {
                throw ConfigError(key: portKey, message: "not a port number (0...65535) '\(raw)'")
            }
            port = parsed
        } else {
            guard (0...65535).contains(defaultPort) else {
                throw ConfigError(key: portKey, message: "default port out of range '\(defaultPort)'")
            }
            port = defaultPort
        }
        self.host = host
        self.port = port
    }
}
