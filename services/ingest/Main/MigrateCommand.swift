import AdrecsRuntime
import ArgumentParser
import IngestService

/// Applies the database migrations (`DB_URL`, `DB_SCHEMA`) and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the PostgreSQL migrations (DB_URL, DB_SCHEMA) and exit."
    )

    func run() async throws {
        let logger = LoggingConfig().makeLogger(service: "ingest-migrate")
        let applied = try await IngestTools.migrate(logger: logger)
        print(applied.isEmpty ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
