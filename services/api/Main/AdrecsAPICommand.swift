import AdrecsHTTP
import AdrecsRuntime
import APIService
import ArgumentParser

@main
struct AdrecsAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-api",
        abstract: "The adrecs api service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: APIConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

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
