import AdrecsDomain
import Testing

@Suite("TopProduct")
struct TopProductTests {
    @Test func orderedByViewsThenProductIdBytewise() {
        var rows: [(String, String)] = []
        rows += Fixtures.repeated(("A", "p2"), 3)
        rows += Fixtures.repeated(("A", "p1"), 3)
        rows += Fixtures.repeated(("A", "Z9"), 3)   // "Z" < "p" bytewise
        rows += Fixtures.repeated(("A", "p10"), 3)  // prefix "p1" < "p10" < "p2"
        rows += Fixtures.repeated(("A", "top"), 5)
        rows += [("A", "solo")]
        let results = Fixtures.run(ids: ["A"], productViews: Fixtures.productViews(rows), adsViews: Fixtures.adsViews([]))
        let ranked = Fixtures.rows(results, .topProduct, "A")
        #expect(ranked.map(\.productId) == ["top", "Z9", "p1", "p10", "p2", "solo"])
        #expect(ranked.map(\.views) == [5, 3, 3, 3, 3, 1])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4, 5, 6])
        #expect(ranked.allSatisfy { $0.impressions == nil && $0.clicks == nil && $0.ctr == nil })
    }

    @Test func longProductIdsOrderBytewiseWithShortOnes() {
        // Ids over 8 bytes take the interned path; the order must still be bytewise. (Ids with a NUL
        // byte, the interned path's other case, are quarantined as invalid_utf8 before the model.)
        let ids = ["abcdefgh", "abcdefghi", "abcdefgg", "abcdefghij", "b", "abcdefgh\u{00e9}", "a", "ab", "a\u{1}b", "\u{7f}"]
        let rows = ids.map { ("A", $0) }
        let results = Fixtures.run(ids: ["A"], productViews: Fixtures.productViews(rows), adsViews: Fixtures.adsViews([]))
        let ranked = Fixtures.rows(results, .topProduct, "A").map(\.productId)
        #expect(ranked == ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    @Test func firstTwentyOnlyWithTiesAtTheCut() {
        // 25 products with one view each: ranks 1...20 are the 20 smallest ids.
        let products = (0..<25).map { "p\(String($0 + 100))" }.shuffled()
        let results = Fixtures.run(
            ids: ["A"], productViews: Fixtures.productViews(products.map { ("A", $0) }), adsViews: Fixtures.adsViews([])
        )
        let ranked = Fixtures.rows(results, .topProduct, "A")
        #expect(ranked.map(\.productId) == (100..<120).map { "p\($0)" })
        #expect(ranked.last?.rank == 20)
        #expect(results[0].statistics.shortLists.topProduct["A"] == nil)
    }

    @Test func shortListsAndAdvertisersWithOnlyOneLog() {
        let views = Fixtures.productViews([("V", "p1"), ("V", "p2"), ("I", "p9")])
        let ads = Fixtures.adsViews([("C", "p1", "impression"), ("C", "p1", "click")])
        let results = Fixtures.run(ids: ["V", "C", "N"], productViews: views, adsViews: ads)
        #expect(results.count == 1)
        #expect(Fixtures.rows(results, .topProduct, "V").count == 2)
        #expect(Fixtures.rows(results, .topCTR, "V").isEmpty)
        #expect(Fixtures.rows(results, .topCTR, "C").count == 1)
        #expect(Fixtures.rows(results, .topProduct, "C").isEmpty)
        #expect(results[0].recommendations.allSatisfy { $0.advertiserId != "I" })
        let short = results[0].statistics.shortLists
        #expect(short.topProduct == ["V": 2, "C": 0, "N": 0])
        #expect(short.topCTR == ["V": 0, "C": 1, "N": 0])
    }
}
