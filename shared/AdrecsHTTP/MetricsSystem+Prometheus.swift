public import Metrics
public import Prometheus

extension MetricsSystem {
    /// Creates the process' one registry (``PrometheusCollectorRegistry/adrecs(build:)``) and
    /// installs it as swift-metrics' backend. Call once, from the executable only (swift-metrics
    /// traps on a second bootstrap); libraries take the registry as a parameter and tests make their own.
    public static func bootstrapPrometheus() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry.adrecs()
        bootstrap(PrometheusMetricsFactory.adrecs(registry: registry))
        return registry
    }
}
