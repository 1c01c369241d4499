public import AdrecsRuntime
public import Configuration

/// Configuration of the writer service, read once at start.
///
/// Keys (environment name in brackets):
/// - `log.level` (`LOG_LEVEL`): see LoggingConfig.
public struct WriterConfig: Sendable {
    public var logging: LoggingConfig

    public init(config: ConfigReader) throws {
        self.logging = try LoggingConfig(config: config)
    }
}
