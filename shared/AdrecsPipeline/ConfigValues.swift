public import AdrecsRuntime
public import Configuration

/// Validated reads of a stage service's own configuration keys.
public enum ConfigValues {
    /// A ZeroMQ endpoint such as `tcp://host:port`.
    public static func endpoint(_ config: ConfigReader, _ key: String, default value: String) throws(ConfigError) -> String {
        let raw = config.string(forKey: ConfigKey(key), default: value)
        guard raw.contains("://"), !raw.contains(where: \.isWhitespace) else {
            throw ConfigError(key: key, message: "not a ZeroMQ endpoint (transport://address) '\(raw)'")
        }
        return raw
    }

    /// An integer above zero.
    public static func positiveInt(_ config: ConfigReader, _ key: String, default value: Int) throws(ConfigError) -> Int {
        guard let raw = config.string(forKey: ConfigKey(key)) else { return value }
        guard let parsed = Int(raw), parsed > 0 else {
            throw ConfigError(key: key, message: "not a positive integer '\(raw)'")
        }
        return parsed
    }
}
