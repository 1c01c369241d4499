import ArgumentParser
import WriterService

/// Applies the database migrations (`DB_URL`, `DB_SCHEMA`) and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create or upgrade the adrecs tables in DB_SCHEMA of DB_URL, then exit (serve also does this on start)."
    )

    func run() async throws {
        let applied = try await WriterMigration.run()
        print(applied.isEmpty ? "schema up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
    }
}
