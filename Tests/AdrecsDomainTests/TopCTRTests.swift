import AdrecsDomain
import Testing

@Suite("TopCTR")
struct TopCTRTests {
    /// Rows giving `product` the counts `impressions` and `clicks` for advertiser `advertiser`.
    static func ads(_ advertiser: String, _ product: String, impressions: Int, clicks: Int) -> [(String, String, String)] {
        Fixtures.repeated((advertiser, product, "impression"), impressions) + Fixtures.repeated((advertiser, product, "click"), clicks)
    }

    static func run(_ rows: [(String, String, String)], ids: [String] = ["A"]) -> [DayResult] {
        Fixtures.run(ids: ids, productViews: Fixtures.productViews([]), adsViews: Fixtures.adsViews(rows.shuffled()))
    }

    @Test func orderedByCtrThenClicksThenImpressionsThenProductId() {
        var rows: [(String, String, String)] = []
        rows += Self.ads("A", "half_small", impressions: 2, clicks: 1)   // 0.5, 1 click
        rows += Self.ads("A", "half_big", impressions: 4, clicks: 2)     // 0.5, 2 clicks
        rows += Self.ads("A", "zero_many", impressions: 9, clicks: 0)    // 0.0, 9 impressions
        rows += Self.ads("A", "zero_b", impressions: 3, clicks: 0)       // 0.0, 3 impressions
        rows += Self.ads("A", "zero_a", impressions: 3, clicks: 0)       // 0.0, tie -> product id
        rows += Self.ads("A", "full", impressions: 1, clicks: 1)         // 1.0
        rows += Self.ads("A", "third", impressions: 3, clicks: 1)        // 0.333...
        let ranked = Fixtures.rows(Self.run(rows), .topCTR, "A")
        #expect(ranked.map(\.productId) == ["full", "half_big", "half_small", "third", "zero_many", "zero_a", "zero_b"])
        #expect(ranked.map(\.ctr) == [1.0, 0.5, 0.5, 1.0 / 3.0, 0, 0, 0])
        #expect(ranked.map(\.clicks) == [1, 2, 1, 1, 0, 0, 0])
        #expect(ranked.map(\.impressions) == [1, 4, 2, 3, 9, 3, 3])
        #expect(ranked.allSatisfy { $0.views == nil })
    }

    @Test func clicksWithoutImpressionsAreAnomaliesNotCandidates() {
        var rows = Self.ads("A", "seen", impressions: 2, clicks: 0)
        rows += Self.ads("A", "ghost", impressions: 0, clicks: 3)
        rows += Self.ads("B", "ghost", impressions: 0, clicks: 1)
        rows += Self.ads("X", "inactive_ghost", impressions: 0, clicks: 5)
        let results = Self.run(rows, ids: ["A", "B"])
        #expect(Fixtures.rows(results, .topCTR, "A").map(\.productId) == ["seen"])
        #expect(Fixtures.rows(results, .topCTR, "B").isEmpty)
        let anomalies = results[0].statistics.anomalies
        #expect(anomalies.clickedWithoutImpressionProducts == 2)
        #expect(anomalies.clickedWithoutImpressionClicks == 4)
        #expect(anomalies.ctrAboveOneProducts == 0)
        #expect(results[0].statistics.shortLists.topCTR == ["A": 1, "B": 0])
    }

    @Test func ctrAboveOneIsKeptAndCounted() {
        var rows = Self.ads("A", "over", impressions: 1, clicks: 3)
        rows += Self.ads("A", "over2", impressions: 2, clicks: 3)
        rows += Self.ads("A", "normal", impressions: 1, clicks: 1)
        let results = Self.run(rows)
        let ranked = Fixtures.rows(results, .topCTR, "A")
        #expect(ranked.map(\.productId) == ["over", "over2", "normal"])
        #expect(ranked.map(\.ctr) == [3.0, 1.5, 1.0])
        #expect(results[0].statistics.anomalies.ctrAboveOneProducts == 2)
    }

    @Test func firstTwentyOnly() {
        let rows = (0..<30).flatMap { Self.ads("A", "p\($0 + 10)", impressions: $0 + 1, clicks: 1) }
        let ranked = Fixtures.rows(Self.run(rows), .topCTR, "A")
        #expect(ranked.count == 20)
        #expect(ranked.map(\.productId) == (10..<30).map { "p\($0)" })
        #expect(ranked.map(\.rank) == Array(1...20))
    }
}
