public import Configuration
public import Logging

/// Logging settings shared by every service.
///
/// Keys: `log.level` (`LOG_LEVEL`): trace, debug, info, notice, warning, error, critical; default `info`.
public struct LoggingConfig: Sendable, Equatable {
    public var level: Logger.Level

    public init(level: Logger.Level = .info) {
        self.level = level
    }

    public init(config: ConfigReader) throws(ConfigError) {
        let raw = config.string(forKey: "log.level", default: "info")
        guard let level = Logger.Level(rawValue: raw.lowercased()) else {
            throw ConfigError(key: "log.level", message: "unknown log level '\(raw)'")
        }
        self.level = level
    }

    /// A logger for `service`, at the configured level, with the service name as metadata.
    public func makeLogger(service: String) -> Logger {
        var logger = Logger(label: "adrecs.\(service)")
        logger.logLevel = level
        logger[metadataKey: LogKeys.service] = "\(service)"
        return logger
    }
}
