import AdrecsRuntime
import ArgumentParser
import Configuration
import ModelsService

/// Runs the service with configuration from the environment (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the models service; configuration comes from the environment."
    )

    func run() async throws {
        let config = try ModelsConfig(config: .fromEnvironment())
        let logger = config.logging.makeLogger(service: "models")
        logger.info("Configuration loaded")
    }
}
