/// The API's routes: one list for the router, the 405 check and the metrics' route labels.
enum APIRoute: String, CaseIterable, Sendable {
    case recommendations, history, stats, health, ready, metrics, openapi

    /// The path the router registers; `:name` matches any one segment, and Hummingbird matches
    /// it with and without a trailing slash.
    var template: String {
        switch self {
        case .recommendations: "/recommendations/:advertiser/:model"
        case .history: "/history/:advertiser"
        case .openapi: "/openapi.json"
        case .stats: "/stats"
        case .health: "/health"
        case .ready: "/ready"
        case .metrics: "/metrics"
        }
    }

    /// The route named by the first segment of `path`, whether or not the rest matches (a
    /// request's metric label); nil for any other path.
    init?(firstSegmentOf path: String) {
        let first = path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
        guard let route = Self.byFirstSegment[String(first)] else { return nil }
        self = route
    }

    /// Whether `path` (as received, with or without a trailing slash) is one of the routes.
    static func matches(_ path: String) -> Bool {
        let segments = path.split(separator: "/")
        return templateSegments.contains { template in
            template.count == segments.count
                && zip(template, segments).allSatisfy { pattern, segment in pattern.hasPrefix(":") || pattern == segment }
        }
    }

    private static let byFirstSegment = Dictionary(
        uniqueKeysWithValues: allCases.map { (String($0.template.split(separator: "/")[0]), $0) })
    private static let templateSegments: [[Substring]] = allCases.map { $0.template.split(separator: "/") }
}
