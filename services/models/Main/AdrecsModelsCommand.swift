import AdrecsRuntime
import ArgumentParser
import ModelsService

@main
struct AdrecsModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-models",
        abstract: "The adrecs models service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: ModelsConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, ComputeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
