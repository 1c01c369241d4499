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
