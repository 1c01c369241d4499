public import AdrecsRuntime
public import Prometheus

extension PrometheusCollectorRegistry {
    /// A registry holding `adrecs_build_info{version,commit} 1` for `build`: what every service's
    /// `/metrics` starts from.
    public static func adrecs(build: BuildInfo = .current) -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: MetricNames.buildInfo, unitName: "",
                helpText: "The build this process runs: always 1; the version and git commit are labels."),
            labels: [(MetricNames.Label.version, build.version), (MetricNames.Label.commit, build.commit)]
        ).set(Int64(1))
        return registry
    }
}
