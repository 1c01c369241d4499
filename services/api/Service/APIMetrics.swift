public import Prometheus

/// The api's metrics, all created once in `init` (fixed routes × statuses).
public final class APIMetrics: Sendable {
    /// Route labels; any other path is `unknown`.
    static let routes = ["recommendations", "history", "stats", "health", "ready", "metrics", "openapi", "unknown"]
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

    public init(registry: PrometheusCollectorRegistry) {
        var requests: [String: Counter] = [:]
        var latency: [String: DurationHistogram] = [:]
        for route in Self.routes {
            for status in Self.statuses {
                let labels = [("route", route), ("status", status)]
                requests[route + " " + status] = registry.makeCounter(name: "adrecs_api_requests_total", labels: labels)
                latency[route + " " + status] = registry.makeDurationHistogram(
                    name: "adrecs_api_request_duration_seconds", labels: labels, buckets: Self.latencyBuckets)
            }
        }
        self.requests = requests
        self.latency = latency
        reloads = registry.makeCounter(name: "adrecs_api_snapshot_reloads_total")
        reloadFailures = registry.makeCounter(name: "adrecs_api_snapshot_reload_failures_total")
        reloadDuration = registry.makeDurationHistogram(
            name: "adrecs_api_snapshot_reload_duration_seconds",
            buckets: [.milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)])
        snapshotAge = registry.makeGauge(name: "adrecs_api_snapshot_age_seconds")
        snapshotBytes = registry.makeGauge(name: "adrecs_api_snapshot_bytes")
        snapshotAdvertisers = registry.makeGauge(name: "adrecs_api_snapshot_advertisers")
        snapshotDays = registry.makeGauge(name: "adrecs_api_snapshot_days")
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
        let first = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
        switch first {
        case "recommendations", "history", "stats", "health", "ready", "metrics": return String(first)
        case "openapi.json": return "openapi"
        default: return "unknown"
        }
    }
}
