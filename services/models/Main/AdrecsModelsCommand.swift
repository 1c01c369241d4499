import ArgumentParser

@main
struct AdrecsModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-models",
        abstract: "The adrecs models service. Configuration comes from the environment; see services/models/README.md.",
        subcommands: [ServeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
