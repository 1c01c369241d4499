import AdrecsDomain
import Testing

@Suite("LogLineParser")
struct LogLineParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let kind: LogKind
        let line: String
        let reason: MalformedReason?
        var testDescription: String { "\(kind.rawValue): '\(line)' -> \(reason?.rawValue ?? "valid")" }
    }

    static let cases: [Case] = [
        Case(kind: .productViews, line: "", reason: .blankLine),
        Case(kind: .adsViews, line: "", reason: .blankLine),
        Case(kind: .productViews, line: " ", reason: .fieldCount),
        Case(kind: .productViews, line: "A,p1", reason: .fieldCount),
        Case(kind: .productViews, line: "A,p1,2024-11-20,x", reason: .fieldCount),
        Case(kind: .productViews, line: "A,p1,impression,2024-11-20", reason: .fieldCount),
        Case(kind: .adsViews, line: "A,p1,2024-11-20", reason: .fieldCount),
        Case(kind: .adsViews, line: "A,p1,click,2024-11-20,", reason: .fieldCount),
        Case(kind: .productViews, line: ",p1,2024-11-20", reason: .emptyAdvertiserId),
        Case(kind: .adsViews, line: ",,bogus,nodate", reason: .emptyAdvertiserId),
        Case(kind: .productViews, line: "A,,2024-11-20", reason: .emptyProductId),
        Case(kind: .adsViews, line: "A,,click,2024-11-20", reason: .emptyProductId),
        Case(kind: .productViews, line: "A,p1,2024-11-20 ", reason: .badDate),
        Case(kind: .productViews, line: "A,p1,2024-02-30", reason: .badDate),
        Case(kind: .productViews, line: "A,p1,2023-02-29", reason: .badDate),
        Case(kind: .productViews, line: "A,p1,", reason: .badDate),
        Case(kind: .adsViews, line: "A,p1,bogus,2024-13-01", reason: .badDate),
        Case(kind: .adsViews, line: "A,p1,Click,2024-11-20", reason: .badType),
        Case(kind: .adsViews, line: "A,p1,impression ,2024-11-20", reason: .badType),
        Case(kind: .adsViews, line: "A,p1,,2024-11-20", reason: .badType),
        Case(kind: .adsViews, line: "A,p1,impressions,2024-11-20", reason: .badType),
        Case(kind: .productViews, line: "A,p1,2024-02-29", reason: nil),
        Case(kind: .productViews, line: " A , p1 ,2024-11-20", reason: nil),
        Case(kind: .adsViews, line: "A,p1,impression,2024-11-20", reason: nil),
        Case(kind: .adsViews, line: "A,p1,click,2024-11-20", reason: nil),
    ]

    @Test(arguments: cases)
    func reasons(_ testCase: Case) {
        let parser = LogLineParser(kind: testCase.kind)
        #expect(parser.malformedReason(Array(testCase.line.utf8)) == testCase.reason)
    }

    @Test func everyReasonIsCovered() {
        #expect(Set(Self.cases.compactMap(\.reason)) == Set(MalformedReason.allCases))
        #expect(MalformedReason.allCases.map(\.rawValue)
            == ["blank_line", "field_count", "empty_advertiser_id", "empty_product_id", "bad_date", "bad_type"])
    }

    @Test func validFields() throws {
        let line = Array("ADV1,prod_42,click,2025-12-19".utf8)
        let fields = line.withUnsafeBytes { bytes -> (String, String, AdType?, Day)? in
            guard case .valid(let record) = LogLineParser(kind: .adsViews).parse(bytes) else { return nil }
            return (String(decoding: record.advertiserId, as: UTF8.self), String(decoding: record.productId, as: UTF8.self),
                    record.type, record.date)
        }
        let (advertiser, product, type, date) = try #require(fields)
        #expect(advertiser == "ADV1" && product == "prod_42" && type == .click && date == Day("2025-12-19"))
    }
}
