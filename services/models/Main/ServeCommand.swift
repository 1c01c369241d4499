import AdrecsHTTP
import ArgumentParser
import ModelsService

/// Runs the models service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the models service until SIGTERM; configuration comes from the environment (see adrecs-models --help).",
        discussion: ModelsConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "models", settings: ModelsConfig.settings, build: buildModels)
    }
}
