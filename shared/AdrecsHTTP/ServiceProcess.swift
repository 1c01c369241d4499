public import AdrecsRuntime
public import Configuration
public import Logging
import Metrics
public import Prometheus
public import ServiceLifecycle

/// What every adrecs executable's `serve` command does, in one place.
public enum ServiceProcess {
    /// Reads the logging configuration, bootstraps logging and metrics (once per process), builds the
    /// service with `build`, and runs it in `ServiceGroup.adrecs` until SIGTERM or SIGINT, returning
    /// normally after a graceful shutdown. Configuration errors are thrown before anything starts.
    public static func serve<S: Service>(
        service name: String,
        reader: ConfigReader = .fromEnvironment(),
        build: (ConfigReader, Logger, PrometheusCollectorRegistry) async throws -> S
    ) async throws {
        let logging = try LoggingConfig(config: reader)
        logging.bootstrapLoggingSystem()
        let logger = logging.makeLogger(service: name)
        let registry = MetricsSystem.bootstrapPrometheus()
        let service = try await build(reader, logger, registry)
        logger.info("Service starting")
        try await ServiceGroup.adrecs(services: [service], logger: logger).run()
        logger.info("Service stopped")
    }
}
