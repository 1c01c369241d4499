import AdrecsRuntime
public import Prometheus

/// The api's metrics, all created once in `init` (fixed routes × statuses).
public final class APIMetrics: Sendable {
    /// Route labels; any other path is `unknown`.
    static let routes = APIRoute.allCases.map(\.rawValue) + ["unknown"]
    /// Status labels; any other status is `other`.
    static let statuses = ["200", "304", "400", "404", "405", "500", "503", "other"]
    static let latencyBuckets: [Duration] = [
        .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1),
        .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
        .milliseconds(500), .seconds(1),
    ]

    private let requests: [String: Counter]
    private let latency: [String: DurationHistogram]
    let reloads: Counter
    let reloadFailures: Counter
    let reloadDuration: DurationHistogram
    let snapshotAge: Gauge
    let snapshotBytes: Gauge
    let snapshotAdvertisers: Gauge
    let snapshotDays: Gauge
    let latestCommittedDate: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        var requests: [String: Counter] = [:]
        var latency: [String: DurationHistogram] = [:]
        for route in Self.routes {
            for status in Self.statuses {
                let labels = [("route", route), ("status", status)]
                requests[route + " " + status] = registry.makeCounter(
                    descriptor: Self.name("requests", "total", "HTTP requests by route and status"), labels: labels)
                latency[route + " " + status] = registry.makeDurationHistogram(
                    descriptor: Self.name("request_duration", "seconds", "HTTP request latency by route and status"),
                    labels: labels, buckets: Self.latencyBuckets)
            }
        }
        self.requests = requests
        self.latency = latency
        reloads = registry.makeCounter(descriptor: Self.name("snapshot_reloads", "total", "snapshot reload attempts that succeeded"))
        reloadFailures = registry.makeCounter(
            descriptor: Self.name("snapshot_reload_failures", "total", "snapshot reloads that failed (previous snapshot kept)"))
        reloadDuration = registry.makeDurationHistogram(
            descriptor: Self.name("snapshot_reload_duration", "seconds", "time to read and build a new snapshot"),
            buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)])
        snapshotAge = registry.makeGauge(descriptor: Self.name("snapshot_age", "seconds", "time since the current snapshot was built"))
        snapshotBytes = registry.makeGauge(descriptor: Self.name("snapshot", "bytes", "pre-encoded JSON bytes held"))
        snapshotAdvertisers = registry.makeGauge(descriptor: Self.name("snapshot", "advertisers", "advertisers held"))
        snapshotDays = registry.makeGauge(descriptor: Self.name("snapshot", "days", "committed days held"))
        latestCommittedDate = registry.makeGauge(descriptor: MetricNameDescriptor(
            metricName: MetricNames.latestCommittedDate, unitName: "",
            helpText: "midnight UTC (Unix time) of the latest committed day served; 0 while none"))
    }

    /// `adrecs_api_<name>_<unit>`.
    private static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "adrecs", subsystem: "api", metricName: name, unitName: unit, helpText: help)
    }

    /// Counts one request and its latency under fixed labels.
    func record(route: String, status: Int, duration: Duration) {
        let statusLabel = Self.statuses.contains(String(status)) ? String(status) : "other"
        let key = route + " " + statusLabel
        requests[key]?.increment()
        latency[key]?.record(duration)
    }

    /// The route label of a request path.
    static func route(of path: String) -> String {
        APIRoute(firstSegmentOf: path)?.rawValue ?? "unknown"
    }
}
