public import AdrecsRuntime
public import Hummingbird
public import Logging
public import Prometheus
public import ServiceLifecycle

/// Builds the small HTTP server each pipeline service runs for operations.
public enum OpsHTTP {
    /// The content type of Prometheus' text exposition format.
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A router with `/health` and `/metrics` (and `/ready` with `readiness`, see
    /// `addOpsRoutes(registry:readiness:)`); add further routes before building the application.
    /// Any other path answers 404.
    public static func makeRouter(
        registry: PrometheusCollectorRegistry, readiness: (@Sendable () -> Bool)? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.addOpsRoutes(registry: registry, readiness: readiness)
        return router
    }

    /// An application serving `router` on `config`'s host and port (Hummingbird logs the bound
    /// address, which tells the port chosen for port 0), running `services` (a stage's worker)
    /// alongside the server.
    public static func makeApplication<Context: RequestContext>(
        router: Router<Context>,
        config: OpsHTTPConfig,
        serverName: String,
        services: [any Service] = [],
        logger: Logger
    ) -> some ApplicationProtocol where Context: InitializableFromSource<ApplicationRequestContextSource> {
        Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(config.host, port: config.port),
                serverName: serverName
            ),
            services: services,
            logger: logger
        )
    }
}

/// The body of `GET /health` while the process serves requests:
/// `{"status":"ok","version":"…","commit":"…"}`, the build from ``BuildInfo``.
public struct HealthStatus: ResponseEncodable, Equatable, Sendable {
    public var status: String
    public var version: String
    public var commit: String

    public init(status: String, build: BuildInfo = .current) {
        self.status = status
        self.version = build.version
        self.commit = build.commit
    }

    public static let ok = HealthStatus(status: "ok")
}
