import AdrecsRuntime
import ArgumentParser
import IngestService

@main
struct AdrecsIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-ingest",
        abstract: "The adrecs ingest service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: IngestConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, KickCommand.self, RetractCommand.self, UploadRawCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
