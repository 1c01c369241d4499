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
        Case(kind: .productViews, line: String(repeating: "a", count: 257) + ",p1,2024-11-20", reason: .idTooLong),
        Case(kind: .adsViews, line: "A," + String(repeating: "é", count: 129) + ",click,bad", reason: .idTooLong),
        Case(kind: .productViews, line: "A\u{0},p1,2024-11-20", reason: .invalidUtf8),
        Case(kind: .productViews, line: "A,p1,2024-11-20 ", reason: .badDate),
        // Non-ASCII or NUL bytes after the ids (read by the comma search's last word) are not the ids'.
        Case(kind: .productViews, line: "A,p1,2024-11-2é", reason: .badDate),
        Case(kind: .productViews, line: "café,p1,2024-11-2\u{0}", reason: .badDate),
        Case(kind: .adsViews, line: "A,p,clické,2024-11-20", reason: .badType),
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
        Case(kind: .productViews, line: "p\"2,\"q\",2024-11-20", reason: nil),
        Case(kind: .adsViews, line: "a\\b,\\.,impression,2024-11-20", reason: nil),
        Case(kind: .productViews, line: "a\tb, c d ,2024-11-20", reason: nil),
        Case(kind: .productViews, line: "café,日本\u{1F600},2024-11-20", reason: nil),
        Case(kind: .productViews, line: String(repeating: "a", count: 256) + "," + String(repeating: "日", count: 85) + ",2024-11-20",
             reason: nil),
    ]

    @Test(arguments: cases)
    func reasons(_ testCase: Case) {
        let parser = LogLineParser(kind: testCase.kind)
        #expect(parser.malformedReason(Array(testCase.line.utf8)) == testCase.reason)
    }

    @Test func everyReasonIsCovered() {
        #expect(Set(Self.cases.compactMap(\.reason)) == Set(MalformedReason.allCases))
        #expect(MalformedReason.allCases.map(\.rawValue)
            == ["blank_line", "field_count", "empty_advertiser_id", "empty_product_id", "id_too_long", "invalid_utf8",
                "bad_date", "bad_type"])
    }

    /// Ids that are not UTF-8 text PostgreSQL stores, in either field and at any offset (inside
    /// and after the 8-byte words of the fast path): quarantined as `invalid_utf8`.
    @Test(arguments: [
        [0xFF], [0xC3], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE6, 0x97], [0x80], [0x00],
    ] as [[UInt8]])
    func invalidUTF8IdsAreQuarantined(bad: [UInt8]) {
        let parser = LogLineParser(kind: .adsViews)
        for prefix in ["", "a", "abcdefg", "abcdefgh", "abcdefghijklmnopq"] {
            let id = Array(prefix.utf8) + bad + Array("z".utf8)
            let advertiser = id + Array(",p1,click,2024-11-20".utf8)
            let product = Array("A,".utf8) + id + Array(",click,2024-11-20".utf8)
            let trailing = Array("A,".utf8) + Array(prefix.utf8) + bad + Array(",click,2024-11-20".utf8)
            #expect(parser.malformedReason(advertiser) == .invalidUtf8, "\(prefix) \(bad)")
            #expect(parser.malformedReason(product) == .invalidUtf8, "\(prefix) \(bad)")
            #expect(parser.malformedReason(trailing) == .invalidUtf8, "\(prefix) \(bad)")
        }
    }

    @Test func idsOfMoreThan256BytesAreQuarantined() {
        let parser = LogLineParser(kind: .productViews)
        let long = String(repeating: "x", count: 301)
        #expect(parser.malformedReason(Array("\(long),p1,2024-11-20".utf8)) == .idTooLong)
        #expect(parser.malformedReason(Array("A,\(long),2024-11-20".utf8)) == .idTooLong)
        // Too long wins over invalid UTF-8 (declaration order), whichever field holds which.
        #expect(parser.malformedReason(Array("A,\(long),2024-11-20".utf8).replacing([UInt8(ascii: "A")], with: [0xFF])) == .idTooLong)
        #expect(parser.malformedReason(Array(String(repeating: "y", count: 256).utf8) + Array(",p1,2024-11-20".utf8)) == nil)
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
