import AdrecsDatabase
import AdrecsHTTP
import AdrecsRuntime
public import Configuration
public import Hummingbird
public import LibPQ
public import Logging
public import Prometheus
public import ServiceLifecycle

/// Builds the api application from configuration: one HTTP server on `HTTP_HOST:PORT` (default
/// `127.0.0.1:8080`) serving the public API from an in-memory snapshot of the committed days in
/// PostgreSQL (`DB_URL`, `DB_SCHEMA`), reloaded on `NOTIFY adrecs_days` and every
/// `API_RELOAD_SECONDS`. The executable runs it in `ServiceGroup.adrecs`; tests call it with their
/// own `registry`.
public func buildAPI(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try APIConfig(config: reader)
    let pool = config.database.makePool(applicationName: "adrecs-api")
    let source = DayReaderSnapshotSource(reader: DayReader(pool: pool))
    let listener = PGListener(config.database.connectInfo(applicationName: "adrecs-api"), channels: [SnapshotReloader.channel])
    return buildAPI(config: config, source: source, listener: listener, dependencies: [pool], logger: logger, registry: registry)
}

/// Builds the api application over any ``SnapshotSource`` (tests pass an ``InMemorySnapshotSource``
/// and no listener). The snapshot reloader runs as a service of the application, so the first
/// load starts with the server; `/ready` answers 503 until it succeeds. Pass `store` to observe
/// or pre-fill the snapshot. `dependencies` (the source's PostgreSQL pool) run before the reloader
/// in the group, which stops its services in reverse order, so they stop after it.
public func buildAPI(
    config: APIConfig,
    source: any SnapshotSource,
    listener: PGListener?,
    store: SnapshotStore = SnapshotStore(),
    dependencies: [any Service] = [],
    logger: Logger,
    registry: PrometheusCollectorRegistry
) -> some ApplicationProtocol {
    let metrics = APIMetrics(registry: registry)
    let reloader = SnapshotReloader(
        store: store, source: source, interval: config.reloadInterval, listener: listener,
        metrics: metrics, logger: logger
    )
    let router = buildAPIRouter(store: store, metrics: metrics, registry: registry, accessLog: config.accessLog)
    return Application(
        router: router,
        configuration: ApplicationConfiguration(
            address: .hostname(config.http.host, port: config.http.port),
            serverName: "adrecs-api"
        ),
        services: dependencies + [reloader],
        logger: logger
    )
}

/// The api's router: every endpoint reads `store` only; HEAD is answered like GET, without a body.
public func buildAPIRouter(
    store: SnapshotStore,
    metrics: APIMetrics,
    registry: PrometheusCollectorRegistry,
    accessLog: Bool = false
) -> Router<BasicRequestContext> {
    let router = Router(options: .autoGenerateHeadEndpoints)
    router.add(middleware: APIMiddleware(metrics: metrics, accessLog: accessLog))
    APIController(store: store, metrics: metrics, registry: registry).addRoutes(to: router)
    return router
}
