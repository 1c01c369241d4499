import AdrecsHTTP
import ArgumentParser
import IngestService

/// Runs the ingest service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the ingest service until SIGTERM; configuration comes from the environment (see adrecs-ingest --help).",
        discussion: IngestConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "ingest", settings: IngestConfig.settings, build: buildIngest)
    }
}
