import ArgumentParser

@main
struct AdrecsWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-writer",
        abstract: "The adrecs writer service. Configuration comes from the environment; see services/writer/README.md.",
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
