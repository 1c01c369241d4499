import AdrecsRuntime
import Configuration
import Logging
import Testing

@Suite struct LoggingConfigTests {
    @Test(arguments: [("debug", Logger.Level.debug), ("INFO", .info), ("error", .error)])
    func readsLevel(raw: String, expected: Logger.Level) throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: ["log.level": .init(.string(raw), isSecret: false)]))
        #expect(try LoggingConfig(config: reader).level == expected)
    }

    @Test func defaultsToInfo() throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: [:]))
        #expect(try LoggingConfig(config: reader).level == .info)
    }

    @Test func rejectsUnknownLevelNamingTheVariable() {
        let reader = ConfigReader(provider: InMemoryProvider(values: ["log.level": "loud"]))
        #expect(throws: ConfigError(key: "log.level", message: "unknown log level 'loud'")) {
            try LoggingConfig(config: reader)
        }
        #expect(ConfigError(key: "log.level", message: "x").environmentName == "LOG_LEVEL")
    }
}
