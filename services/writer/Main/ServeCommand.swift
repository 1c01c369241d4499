import AdrecsHTTP
import ArgumentParser
import WriterService

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
