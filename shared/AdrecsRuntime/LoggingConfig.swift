public import Configuration
public import Logging

/// Logging settings shared by every service.
///
/// Keys: `log.level` (`LOG_LEVEL`): trace, debug, info, notice, warning, error, critical; default `info`.
/// `log.format` (`LOG_FORMAT`): `text` (swift-log's stream lines) or `json` (one JSON object per
/// line, ``JSONLogHandler``, for CloudWatch Logs Insights); default `text`.
public struct LoggingConfig: Sendable, Equatable {
    /// How log lines are written.
    public enum Format: String, Sendable, CaseIterable {
        case text
        case json
    }

    public var level: Logger.Level
    public var format: Format

    public init(level: Logger.Level = .info, format: Format = .text) {
        self.level = level
        self.format = format
    }

    public init(config: ConfigReader) throws(ConfigError) {
        let raw = config.string(forKey: "log.level", default: "info")
        guard let level = Logger.Level(rawValue: raw.lowercased()) else {
            throw ConfigError(key: "log.level", message: "unknown log level '\(raw)'")
        }
        let rawFormat = config.string(forKey: "log.format", default: Format.text.rawValue)
        guard let format = Format(rawValue: rawFormat.lowercased()) else {
            throw ConfigError(key: "log.format", message: "expected 'text' or 'json', got '\(rawFormat)'")
        }
        self.level = level
        self.format = format
    }

    /// The keys above, for every command's settings catalog.
    public static let settings: [Setting] = [
        Setting("LOG_LEVEL", default: "info", "trace, debug, info, notice, warning, error or critical."),
        Setting("LOG_FORMAT", default: Format.text.rawValue,
                "text (one readable line per entry) or json (one JSON object per line: timestamp, level, message, metadata; for CloudWatch Logs Insights)."),
    ]

    /// A logger for `service`, at the configured level, with the service name as metadata.
    public func makeLogger(service: String) -> Logger {
        var logger = Logger(label: "adrecs.\(service)")
        logger.logLevel = level
        logger[metadataKey: LogKeys.service] = "\(service)"
        return logger
    }
}
