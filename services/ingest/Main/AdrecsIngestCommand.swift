import ArgumentParser

@main
struct AdrecsIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-ingest",
        abstract: "The adrecs ingest service. Configuration comes from the environment; see services/ingest/README.md.",
        subcommands: [ServeCommand.self, KickCommand.self, RetractCommand.self, UploadRawCommand.self, MigrateCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
