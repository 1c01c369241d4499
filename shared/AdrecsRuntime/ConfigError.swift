/// A configuration value that is missing or invalid, reported before any work starts.
public struct ConfigError: Error, CustomStringConvertible, Equatable {
    /// The dotted key (`db.url`); its environment name is upper-cased with `_` (`DB_URL`).
    public var key: String
    public var message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var environmentName: String {
        String(key.uppercased().map { $0 == "." ? "_" : $0 })
    }

    public var description: String { "invalid configuration \(environmentName): \(message)" }
}
