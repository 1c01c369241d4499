import APIService
import AdrecsHTTP
import ArgumentParser

@main
struct AdrecsAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-api",
        abstract: "The adrecs api service. Configuration comes from the environment; see services/api/README.md.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// Runs the api service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the api service until SIGTERM; configuration comes from the environment (see services/api/README.md)."
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "api", build: buildAPI)
    }
}
