public import AdrecsRuntime
public import Configuration
public import Logging
import Metrics
public import Prometheus
public import ServiceLifecycle

/// What every adrecs executable's `serve` command does, in one place.
public enum ServiceProcess {
    /// Reads the logging configuration, bootstraps logging and metrics (once per process), builds the
    /// service with `build`, logs the build and the effective `settings` once (secrets redacted),
    /// and runs the service in `ServiceGroup.adrecs` until SIGTERM or SIGINT, returning normally
    /// after a graceful shutdown. Configuration errors are thrown before anything starts.
    public static func serve<S: Service>(
        service name: String,
        settings: SettingsCatalog,
        reader: ConfigReader = .fromEnvironment(),
        build: (ConfigReader, Logger, PrometheusCollectorRegistry) async throws -> S
    ) async throws {
        let logging = try LoggingConfig(config: reader)
        logging.bootstrapLoggingSystem()
        let logger = logging.makeLogger(service: name)
        let registry = MetricsSystem.bootstrapPrometheus()
        let service = try await build(reader, logger, registry)
        logStart(logger, settings: settings, reader: reader)
        try await ServiceGroup.adrecs(services: [service], logger: logger).run()
        logger.info("Service stopped")
    }

    /// The one start line: `Service starting` with the build and the effective settings as metadata.
    public static func logStart(_ logger: Logger, settings: SettingsCatalog, reader: ConfigReader, build: BuildInfo = .current) {
        logger.info("Service starting", metadata: [
            LogKeys.version: "\(build.version)",
            LogKeys.commit: "\(build.commit)",
            LogKeys.settings: settings.effectiveMetadata(reader),
        ])
    }
}
