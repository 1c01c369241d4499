public import AdrecsRuntime
public import Metrics
public import Prometheus

extension PrometheusMetricsFactory {
    /// Buckets of `adrecs_stage_duration_seconds`: a stage run takes from well under a second (an
    /// empty day) to tens of minutes (a full day's logs).
    public static let adrecsStageDurationBuckets: [Duration] = [
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(30),
        .seconds(60), .seconds(120), .seconds(300), .seconds(600), .seconds(1800), .seconds(3600),
    ]

    /// A factory writing into `registry`, with the adrecs histogram buckets.
    public static func adrecs(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricNames.stageDuration] = adrecsStageDurationBuckets
        return factory
    }
}

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
