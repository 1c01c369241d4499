import AdrecsHTTP
import ArgumentParser
import ModelsService

/// Runs the models service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the models service until SIGTERM; configuration comes from the environment (see services/models/README.md)."
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "models", build: buildModels)
    }
}
