import ModelsService
import AdrecsRuntime
import ArgumentParser
import Configuration

@main
struct AdrecsModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-models",
        abstract: "The adrecs models service. Configuration comes from the environment; see services/models/README.md."
    )

    func run() async throws {
        let config = try ModelsConfig(config: .fromEnvironment())
        let logger = config.logging.makeLogger(service: "models")
        logger.info("Configuration loaded")
    }
}
