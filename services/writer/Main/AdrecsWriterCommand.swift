import AdrecsHTTP
import AdrecsRuntime
import ArgumentParser
import WriterService

@main
struct AdrecsWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-writer",
        abstract: "The adrecs writer service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: WriterConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// Runs the writer service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the writer service until SIGTERM; configuration comes from the environment (see adrecs-writer --help).",
        discussion: WriterConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "writer", settings: WriterConfig.settings, build: buildWriter)
    }
}

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
