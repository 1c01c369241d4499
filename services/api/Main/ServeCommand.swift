import AdrecsHTTP
import ArgumentParser
import APIService

/// Runs the api service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the api service until SIGTERM; configuration comes from the environment (see adrecs-api --help).",
        discussion: APIConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "api", settings: APIConfig.settings, build: buildAPI)
    }
}
