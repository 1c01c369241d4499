import Configuration

/// Configuration readers for tests: in-memory values under dotted keys, never the environment.
enum TestConfig {
    static func reader(_ values: [String: String]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
            (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: false))
        })))
    }
}
