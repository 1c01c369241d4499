import APIService
import AdrecsRuntime
import ArgumentParser
import Configuration

@main
struct AdrecsAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-api",
        abstract: "The adrecs api service. Configuration comes from the environment; see services/api/README.md."
    )

    func run() async throws {
        let config = try APIConfig(config: .fromEnvironment())
        let logger = config.logging.makeLogger(service: "api")
        logger.info("Configuration loaded")
    }
}
