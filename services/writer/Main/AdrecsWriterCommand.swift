import WriterService
import AdrecsRuntime
import ArgumentParser
import Configuration

@main
struct AdrecsWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-writer",
        abstract: "The adrecs writer service. Configuration comes from the environment; see services/writer/README.md."
    )

    func run() async throws {
        let config = try WriterConfig(config: .fromEnvironment())
        let logger = config.logging.makeLogger(service: "writer")
        logger.info("Configuration loaded")
    }
}
