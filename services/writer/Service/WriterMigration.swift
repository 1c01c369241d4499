import AdrecsDatabase
public import AdrecsRuntime
public import Configuration
import Logging

/// The writer's `migrate` command: applies the database migrations once and returns.
public enum WriterMigration {
    /// Applies the missing migrations to the configured schema (`DB_URL`, `DB_SCHEMA`); returns the
    /// versions applied now (`[]` when the schema is up to date).
    public static func run(reader: ConfigReader = .fromEnvironment()) async throws -> [Int] {
        let logger = try LoggingConfig(config: reader).makeLogger(service: "writer")
        let database = try DatabaseConfig(config: reader)
        let pool = database.makePool(applicationName: "adrecs-writer-migrate")
        do {
            let applied = try await Migrator.migrate(pool: pool, schema: database.schema, logger: logger)
            await pool.close()
            return applied
        } catch {
            await pool.close()
            throw error
        }
    }
}
