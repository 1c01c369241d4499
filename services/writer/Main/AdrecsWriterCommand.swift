import AdrecsRuntime
import ArgumentParser
import WriterService

@main
struct AdrecsWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-writer",
        abstract: "The adrecs writer service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: WriterConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
