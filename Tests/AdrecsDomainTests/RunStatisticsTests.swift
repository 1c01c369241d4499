import AdrecsDomain
import Foundation
import Testing

@Suite("RunStatistics")
struct RunStatisticsTests {
    @Test func encodesReasonsAsJSONKeysAndRoundTrips() throws {
        let results = Fixtures.run(
            ids: ["A"],
            productViews: Fixtures.document(header: LogKind.productViews.header, lines: ["A,p,2024-11-20 ", "", "A,p,2024-11-20"], lineEnding: "\n"),
            adsViews: Fixtures.adsViews([("A", "p", "click")])
        )
        let statistics = try #require(results.first?.statistics)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(statistics), as: UTF8.self)
        #expect(json.contains(#""malformed":{"bad_date":1,"blank_line":1}"#))
        #expect(json.contains(#""day":"2024-11-20""#))
        #expect(json.contains(#""clickedWithoutImpressionClicks":1"#))
        #expect(try JSONDecoder().decode(RunStatistics.self, from: Data(json.utf8)) == statistics)
    }
}
