import AdrecsDomain
import Testing

@Suite("ActiveAdvertisers")
struct ActiveAdvertisersTests {
    @Test func blankCommaAndDuplicateLines() {
        let active = ActiveAdvertisers(parsing: "advertiser_id\r\nA1\r\n\r\nB2\r\nA1\r\nC3,X\r\n,\r\nD4")
        #expect(active.ids == ["A1", "B2", "D4"])
        #expect(active.statistics.linesRead == 7)
        #expect(active.statistics.active == 3)
        #expect(active.statistics.duplicates == 1)
        #expect(active.statistics.malformed == [.blankLine: 1, .fieldCount: 2])
        #expect(active.contains("B2") && !active.contains("C3") && !active.contains("a1"))
        #expect(active.index(of: "D4") == 2)
    }

    @Test func invalidUTF8AndLongIdsAreMalformed() {
        let lines: [[UInt8]] = [
            Array("advertiser_id".utf8), Array("ok".utf8), [0x61, 0xFF], Array(String(repeating: "a", count: 300).utf8),
            Array("a\u{0}b".utf8), Array("p\"2 \\. café\t日本".utf8), Array(String(repeating: "é", count: 128).utf8),
        ]
        let active = ActiveAdvertisers(parsing: [Array(lines.joined(separator: [UInt8(ascii: "\n")]))])
        #expect(active.ids == ["ok", "p\"2 \\. café\t日本", String(repeating: "é", count: 128)])
        #expect(active.statistics.malformed == [.invalidUtf8: 2, .idTooLong: 1])
        for (line, reason) in zip(lines.dropFirst(), [nil, .invalidUtf8, .idTooLong, .invalidUtf8, nil, nil] as [MalformedReason?]) {
            #expect(line.withUnsafeBytes { ActiveAdvertisersParser.malformedReason($0) } == reason)
        }
    }

    @Test func theHeaderIsNotAnId() {
        let active = ActiveAdvertisers(parsing: "advertiser_id\nX\n")
        #expect(active.ids == ["X"])
        #expect(!active.contains("advertiser_id"))
    }

    @Test func chunkedParsingMatches() {
        let text = Array("advertiser_id\nAAAA\nBBBB\n\nAAAA\nCC,C\nDDDD".utf8)
        let whole = ActiveAdvertisers(parsing: [text])
        for cut in 0...text.count {
            let split = ActiveAdvertisers(parsing: [Array(text[..<cut]), Array(text[cut...])])
            #expect(split.ids == whole.ids && split.statistics == whole.statistics)
        }
    }
}
