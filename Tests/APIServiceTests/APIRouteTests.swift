@testable import APIService
import Testing

@Suite struct APIRouteTests {
    @Test(arguments: [
        ("/recommendations/adv1/TopCTR", APIRoute.recommendations), ("/recommendations", .recommendations),
        ("/history/adv1/", .history), ("/stats", .stats), ("/stats/extra", .stats), ("/health", .health),
        ("/ready", .ready), ("/metrics", .metrics), ("/openapi.json", .openapi), ("//openapi.json", .openapi),
        ("/docs", .docs), ("/docs/swagger-ui.css", .docs), ("/", .root), ("", .root),
    ])
    func theFirstSegmentNamesTheRoute(path: String, route: APIRoute) {
        #expect(APIRoute(firstSegmentOf: path) == route)
        #expect(APIMetrics.route(of: path) == route.rawValue)
    }

    @Test(arguments: ["/nope", "/openapi", "/Stats", "/recommendationsX/a/b", "/doc", "/docs.html"])
    func otherPathsHaveNoRouteAndTheUnknownLabel(path: String) {
        #expect(APIRoute(firstSegmentOf: path) == nil)
        #expect(APIMetrics.route(of: path) == "unknown")
    }

    @Test(arguments: [
        ("/recommendations/a/TopCTR", true), ("/recommendations/a/TopCTR/", true), ("/history/a", true),
        ("/openapi.json", true), ("/stats/", true), ("/recommendations/a", false), ("/history/a/b", false),
        ("/stats/x", false), ("/", true), ("/docs", true), ("/docs/", true), ("/docs/a.css", true),
        ("/docs/a/b", false), ("/nope", false),
    ])
    func matchesOnlyWholeTemplates(path: String, matches: Bool) {
        #expect(APIRoute.matches(path) == matches)
    }
}
