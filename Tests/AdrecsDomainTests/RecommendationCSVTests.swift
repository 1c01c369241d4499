import AdrecsDomain
import Testing

@Suite("RecommendationCSV")
struct RecommendationCSVTests {
    @Test(arguments: [0.0, 1.0, 0.5, 1.0 / 3.0, 2.0 / 3.0, 1.0 / 6.0, 2.0, 1.5, 1.0 / 7.0, 0.1])
    func ctrRoundTrips(_ ctr: Double) throws {
        let row = Recommendation(
            day: try #require(Day("2024-11-20")), advertiserId: "A", model: .topCTR, rank: 3, productId: "x1",
            impressions: 7, clicks: 1, ctr: ctr
        )
        let line = RecommendationCSV.line(row)
        #expect(try RecommendationCSV.parse(line: line[...]) == row)
    }

    @Test func pythonStyleDigits() throws {
        let row = Recommendation(
            day: try #require(Day("2024-11-20")), advertiserId: "A", model: .topCTR, rank: 1, productId: "p",
            impressions: 3, clicks: 1, ctr: 1.0 / 3.0
        )
        #expect(RecommendationCSV.line(row) == "2024-11-20,A,TopCTR,1,p,,3,1,0.3333333333333333")
    }

    @Test func documentsWithCrlfAndErrors() throws {
        let text = RecommendationCSV.header + "\r\n2024-11-20,A,TopProduct,1,p,4,,,\r\n"
        let rows = try RecommendationCSV.parse(document: text)
        #expect(rows.count == 1 && rows[0].views == 4 && rows[0].ctr == nil && rows[0].model == .topProduct)
        #expect(RecommendationCSV.document(rows) == RecommendationCSV.header + "\n2024-11-20,A,TopProduct,1,p,4,,,\n")
        #expect(throws: DomainError.invalidResultsCSV(line: 2, reason: "bad model")) {
            try RecommendationCSV.parse(document: RecommendationCSV.header + "\n2024-11-20,A,Top,1,p,4,,,")
        }
        #expect(throws: DomainError.self) { try RecommendationCSV.parse(document: "nope\n") }
    }
}
