import AdrecsHTTP
import AdrecsRuntime
public import Configuration
public import Hummingbird
public import Logging
public import Prometheus

/// Builds the models service from configuration: today its ops HTTP server (`/health`, `/metrics`
/// on `OPS_HOST:OPS_PORT`, default port 9102), with the models stage's metrics
/// registered at zero. The executable runs the result in `ServiceGroup.adrecs`; tests call it with their
/// own `registry`.
public func buildModels(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try ModelsConfig(config: reader)
    // Registers every series of the stage so `/metrics` lists them from the start.
    _ = StageMetrics(stage: "models", factory: PrometheusMetricsFactory.adrecs(registry: registry))
    let router = OpsHTTP.makeRouter(registry: registry)
    return OpsHTTP.makeApplication(router: router, config: config.ops, serverName: "adrecs-models", logger: logger)
}
