import Logging

extension LoggingConfig {
    /// Installs swift-log's process-wide backend: `StreamLogHandler` on standard error, at the
    /// configured level. Call once, from the executable only; libraries and tests never do.
    public func bootstrapLoggingSystem() {
        let level = self.level
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
