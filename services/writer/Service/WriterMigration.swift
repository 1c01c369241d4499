import AdrecsDatabase
import AdrecsPipeline
public import AdrecsRuntime
public import Configuration
import Logging

/// The writer's `migrate` command: applies the database migrations once and returns.
public enum WriterMigration {
    /// Applies the missing migrations to the configured schema (`DB_URL`, `DB_SCHEMA`); returns the
    /// versions applied now (`[]` when the schema is up to date).
    public static func run(reader: ConfigReader = .fromEnvironment()) async throws -> [Int] {
        let logger = try LoggingConfig(config: reader).makeLogger(service: "writer")
        return try await DatabaseConfig(config: reader).migrate(applicationName: "adrecs-writer-migrate", logger: logger)
    }
}
