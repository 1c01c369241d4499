import AdrecsDatabase
import AdrecsHTTP
import AdrecsRuntime
import AdrecsStorage
public import Configuration
public import Hummingbird
public import Logging
public import Prometheus

/// Builds the ingest service from configuration: the ops and control HTTP server (`/health`,
/// `/metrics`, `POST /runs`, `GET /runs/<id>` on `OPS_HOST:OPS_PORT`, default port 9101) with the
/// stage runtime working ``IngestStage`` as a service of the application (it applies the migrations, binds the models
/// PUSH socket and processes kicked runs). The executable runs the result in
/// `ServiceGroup.adrecs`; tests call it with their own `registry`.
public func buildIngest(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try IngestConfig(config: reader)
    // Registers every series of the stage so `/metrics` lists them from the start.
    let metrics = StageMetrics(stage: "ingest", factory: PrometheusMetricsFactory.adrecs(registry: registry))
    let pool = config.database.makePool(applicationName: "adrecs-ingest")
    let ledger = RunLedger(pool: pool, staleAfter: config.runtime.staleAfter, logger: logger)
    let job = IngestJob(store: try config.storage.makeClient(), bucket: config.storage.bucket, layout: config.rawLayout)
    let worker = IngestStage.runtime(config: config, job: job, pool: pool, metrics: metrics, logger: logger)
    // The group stops its services in reverse order: the pool closes once the HTTP server and the
    // worker have stopped.
    let router = OpsHTTP.makeRouter(registry: registry, readiness: { worker.isReady })
    IngestControl.addRoutes(to: router, ledger: ledger, logger: logger)
    return OpsHTTP.makeApplication(router: router, config: config.ops, serverName: "adrecs-ingest", services: [pool, worker], logger: logger)
}
