import Logging

extension LoggingConfig {
    /// Installs swift-log's process-wide backend on standard error, at the configured level:
    /// `StreamLogHandler` for `text`, ``JSONLogHandler`` for `json`. Call once, from the executable
    /// only; libraries and tests never do.
    public func bootstrapLoggingSystem() {
        let level = self.level
        switch format {
        case .text:
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        case .json:
            LoggingSystem.bootstrap { label in
                var handler = JSONLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }
}
