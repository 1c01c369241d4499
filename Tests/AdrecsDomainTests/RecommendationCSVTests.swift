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

    /// Ids the parser accepts that CSV or COPY treat specially.
    static let awkwardIDs = [
        "p\"2", "\"", "\"\"", "a\\b", "\\", "\\.", "\\N", "a\tb", "\t", " lead", "trail ", " ", "a b", "a\rb", "\r",
        "café", "日本", "e\u{301}", "\u{1F600}", "x;y", "'q'", "%2F", "a/b", "NULL", "\u{7F}\u{1}",
        String(repeating: "日", count: 85),
    ]

    @Test(arguments: awkwardIDs)
    func awkwardIdsRoundTrip(id: String) throws {
        let day = try #require(Day("2024-11-20"))
        let rows = [
            Recommendation(day: day, advertiserId: id, model: .topCTR, rank: 1, productId: id + "!", impressions: 3, clicks: 1,
                           ctr: 1.0 / 3.0),
            Recommendation(day: day, advertiserId: id, model: .topProduct, rank: 1, productId: id, views: 9),
            Recommendation(day: day, advertiserId: "plain", model: .topProduct, rank: 2, productId: "", views: nil),
        ]
        let document = RecommendationCSV.document(rows)
        let parsed = try RecommendationCSV.parse(document: document)
        // Byte for byte: String == would also accept canonically equivalent text.
        #expect(parsed.map { Array($0.advertiserId.utf8) } == rows.map { Array($0.advertiserId.utf8) })
        #expect(parsed.map { Array($0.productId.utf8) } == rows.map { Array($0.productId.utf8) })
        #expect(parsed == rows)
        #expect(try RecommendationCSV.parse(line: RecommendationCSV.line(rows[0])[...]) == rows[0])
        let ids = [id, "plain", id + "\n" + id]
        let advertisers = try RecommendationCSV.parse(advertisersDocument: Array(RecommendationCSV.advertisersDocument(ids).utf8))
        #expect(advertisers.map { Array($0.utf8) } == ids.map { Array($0.utf8) })
    }

    @Test func fieldsAreQuotedOnlyWhenNeeded() {
        #expect(RecommendationCSV.field("p1") == "p1")
        #expect(RecommendationCSV.field("a\\b\tc") == "a\\b\tc")
        #expect(RecommendationCSV.field("café") == "café")
        #expect(RecommendationCSV.field("p\"2") == "\"p\"\"2\"")
        #expect(RecommendationCSV.field("a,b") == "\"a,b\"")
        #expect(RecommendationCSV.field("a\rb") == "\"a\rb\"")
        #expect(RecommendationCSV.field(" a") == "\" a\"")
        #expect(RecommendationCSV.field("a\t") == "\"a\t\"")
    }

    @Test func readerFollowsRFC4180() throws {
        var reader = try RecommendationCSV.Reader(Array("h1,h2\r\n\"a\"\"\nb\",\r\n\n\"\",x\n\"c,d\",\"\"".utf8), header: "h1,h2")
        var record = RecommendationCSV.Record()
        var seen: [(line: Int, fields: [String?])] = []
        while let line = try reader.next(into: &record) {
            let fields = (0..<record.count).map { index in
                record.isNull(index) ? nil : record.withField(index) { String(decoding: $0, as: UTF8.self) }
            }
            seen.append((line, fields))
        }
        #expect(seen.map(\.line) == [2, 5, 6])
        #expect(seen.map(\.fields) == [["a\"\nb", nil], ["", "x"], ["c,d", ""]])
    }

    @Test(arguments: [
        ("h\n\"open", "unterminated quoted field"),
        ("h\na\"b", "quote inside an unquoted field"),
        ("h\n\"a\"b", "unexpected character after a field"),
        ("h\na\rb", "unexpected character after a field"),
        ("x\n", "unexpected header"),
        ("\"h\"\n", "unexpected header"),
        ("", "missing header"),
    ])
    func malformedDocumentsFail(document: String, reason: String) {
        var failure: DomainError?
        do {
            var reader = try RecommendationCSV.Reader(Array(document.utf8), header: "h")
            var record = RecommendationCSV.Record()
            while try reader.next(into: &record) != nil {}
        } catch {
            failure = error
        }
        guard case .invalidResultsCSV(_, let found) = failure else {
            Issue.record("\(document.debugDescription) was accepted")
            return
        }
        #expect(found == reason)
    }

    @Test func nonUTF8FieldsFailToParse() {
        let bytes = Array((RecommendationCSV.header + "\n2024-11-20,").utf8) + [0xFF] + Array(",TopProduct,1,p,4,,,\n".utf8)
        #expect(throws: DomainError.invalidResultsCSV(line: 2, reason: "field 2 is not UTF-8")) {
            try RecommendationCSV.parse(document: bytes)
        }
    }
}
