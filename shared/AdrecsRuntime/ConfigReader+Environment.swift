public import Configuration

extension ConfigReader {
    /// The reader every executable uses: process environment variables (`DB_URL` for `db.url`).
    public static func fromEnvironment() -> ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider())
    }
}
