import AdrecsDomain
import Testing

/// Aggregators and models are values: a copy never sees later updates of the original.
@Suite("Value semantics")
struct ValueSemanticsTests {
    static let active = ActiveAdvertisers(ids: ["A"])

    static func products(_ model: TopProductModel?) -> [String] {
        (model?.rankings(day: Fixtures.day, advertisers: active)[0] ?? []).map { "\($0.productId):\($0.views ?? -1)" }
    }

    @Test func copiedAggregatorIsIndependent() {
        var original = ProductViewsAggregator(selection: .single(Fixtures.day), active: Self.active)
        original.feed(Array("advertiser_id,product_id,date\nA,p1,2024-11-20\n".utf8))
        var copy = original
        original.feed(Array("A,p2,2024-11-20\nA,p2,2024-11-20\nA,p1,2024-11-20\n".utf8))
        original.finish()
        copy.feed(Array("A,p3,2024-11-20".utf8))
        copy.finish()
        #expect(Self.products(original.model(for: Fixtures.day)) == ["p1:2", "p2:2"])
        #expect(Self.products(copy.model(for: Fixtures.day)) == ["p1:1", "p3:1"])
        #expect(original.statistics(for: Fixtures.day).rowsKept == 4)
        #expect(copy.statistics(for: Fixtures.day).rowsKept == 2)
    }

    @Test func copiedModelIsIndependentAcrossGrowth() {
        var original = TopCTRModel(advertiserCount: 1)
        func add(_ model: inout TopCTRModel, _ product: String, _ type: AdType) {
            Array(product.utf8).withUnsafeBytes { model.add(advertiser: 0, product: $0, type: type) }
        }
        add(&original, "p0", .impression)
        let copy = original
        // Enough new products to grow the table several times.
        for index in 1...100 { add(&original, "p\(index)", .impression) }
        add(&original, "p0", .click)
        let copyRows = copy.rankings(day: Fixtures.day, advertisers: Self.active)[0]
        #expect(copyRows.map(\.productId) == ["p0"] && copyRows[0].clicks == 0)
        let originalRows = original.rankings(day: Fixtures.day, advertisers: Self.active)[0]
        #expect(originalRows.count == 20 && originalRows[0].productId == "p0" && originalRows[0].clicks == 1)
    }
}
