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
