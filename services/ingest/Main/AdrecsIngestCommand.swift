import IngestService
import AdrecsRuntime
import ArgumentParser
import Configuration

@main
struct AdrecsIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-ingest",
        abstract: "The adrecs ingest service. Configuration comes from the environment; see services/ingest/README.md."
    )

    func run() async throws {
        let config = try IngestConfig(config: .fromEnvironment())
        let logger = config.logging.makeLogger(service: "ingest")
        logger.info("Configuration loaded")
    }
}
