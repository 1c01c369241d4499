public import Configuration

extension ConfigReader {
    /// A reader of in-memory `values` under dotted keys (`db.url`), never the environment.
    public static func inMemory(_ values: [String: String]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
            (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: false))
        })))
    }
}
