import AdrecsRuntime
import ArgumentParser
import APIService

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
