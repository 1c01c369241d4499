import AdrecsDatabase
import AdrecsHTTP
import AdrecsRuntime
import AdrecsStorage
public import Configuration
public import Hummingbird
public import Logging
public import Prometheus

/// Builds the models service from configuration: the stage runtime working ``ModelsStage`` (ZeroMQ in and out, S3,
/// the run ledger in PostgreSQL) composed with its ops HTTP server (`/health`, `/metrics` on
/// `OPS_HOST:OPS_PORT`, default port 9102), with the stage's metrics registered at zero. Nothing
/// connects before the application runs. The executable runs the result in `ServiceGroup.adrecs`;
/// tests call it with their own `registry`.
public func buildModels(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try ModelsConfig(config: reader)
    let metrics = StageMetrics(stage: "models", factory: PrometheusMetricsFactory.adrecs(registry: registry))
    let pool = config.database.makePool(applicationName: "adrecs-models")
    let worker = ModelsStage.runtime(
        config: config, store: try config.storage.makeClient(), pool: pool, metrics: metrics, logger: logger)
    // The group stops its services in reverse order: the pool closes once the worker has stopped.
    let router = OpsHTTP.makeRouter(registry: registry, readiness: { worker.isReady })
    return OpsHTTP.makeApplication(router: router, config: config.ops, serverName: "adrecs-models", services: [pool, worker], logger: logger)
}
