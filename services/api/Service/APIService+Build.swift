import AdrecsHTTP
import AdrecsRuntime
public import Configuration
public import Hummingbird
public import Logging
public import Prometheus

/// Builds the api application from configuration: one HTTP server on `HTTP_HOST:PORT` (default
/// `127.0.0.1:8080`) with `/health` and `/metrics`. The executable runs it in `ServiceGroup.adrecs`;
/// tests call it with their own `registry`.
public func buildAPI(
    reader: ConfigReader,
    logger: Logger,
    registry: PrometheusCollectorRegistry
) async throws -> some ApplicationProtocol {
    let config = try APIConfig(config: reader)
    let router = OpsHTTP.makeRouter(registry: registry)
    return OpsHTTP.makeApplication(router: router, config: config.http, serverName: "adrecs-api", logger: logger)
}
