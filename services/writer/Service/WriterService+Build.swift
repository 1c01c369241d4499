import AdrecsDatabase
import AdrecsHTTP
import AdrecsRuntime
import AdrecsStorage
public import Configuration
public import Hummingbird
public import Logging
public import Prometheus

/// Builds the writer service from configuration: the stage runtime working ``WriterStage`` (a ZeroMQ PULL, S3,
/// PostgreSQL: migrations on start, the day's tables, the run ledger) composed with its ops HTTP
/// server (`/health`, `/metrics` on `OPS_HOST:OPS_PORT`, default port 9103), with the stage's metrics registered at zero. Nothing
/// connects before the application runs. The executable runs the result in `ServiceGroup.adrecs`;
/// tests call it with their own `registry`.
public func buildWriter(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try WriterConfig(config: reader)
    let metrics = StageMetrics(stage: "writer", factory: PrometheusMetricsFactory.adrecs(registry: registry))
    let pool = config.database.makePool(applicationName: "adrecs-writer")
    let worker = WriterStage.runtime(
        config: config, store: try config.storage.makeClient(), pool: pool, metrics: metrics, logger: logger)
    // The group stops its services in reverse order: the pool closes once the worker has stopped.
    let router = OpsHTTP.makeRouter(registry: registry, readiness: { worker.isReady })
    return OpsHTTP.makeApplication(router: router, config: config.ops, serverName: "adrecs-writer", services: [pool, worker], logger: logger)
}
