import Configuration

/// An in-memory reader of dotted keys, as the environment provider would give them.
func reader(_ values: [String: String]) -> ConfigReader {
    ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
        (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue(.string($0.value), isSecret: false))
    })))
}
