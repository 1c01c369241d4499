/// The API's routes: one list for the router, the 405 check and the metrics' route labels.
enum APIRoute: String, CaseIterable, Sendable {
    case recommendations, history, stats, health, ready, metrics, openapi, docs, root

    /// The paths the router registers under this route's label; `:name` matches any one segment,
    /// and Hummingbird matches each with and without a trailing slash.
    var templates: [String] {
        switch self {
        case .recommendations: ["/recommendations/:advertiser/:model"]
        case .history: ["/history/:advertiser"]
        case .openapi: ["/openapi.json"]
        case .stats: ["/stats"]
        case .health: ["/health"]
        case .ready: ["/ready"]
        case .metrics: ["/metrics"]
        case .docs: ["/docs", "/docs/:file"]
        case .root: ["/"]
        }
    }

    /// The route's first (for most, only) path.
    var template: String { templates[0] }

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
        uniqueKeysWithValues: allCases.map { (String($0.template.split(separator: "/").first ?? ""), $0) })
    private static let templateSegments: [[Substring]] = allCases.flatMap { $0.templates.map { $0.split(separator: "/") } }
}
