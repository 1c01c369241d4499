import AdrecsHTTP
@testable import APIService
import Foundation
import Hummingbird
import Testing

/// Ids travel in path segments (percent-encoded UTF-8) and in JSON bodies (escaped strings).
@Suite struct IdEncodingTests {
    @Test(arguments: [
        ("adv1", "adv1"), ("p%222", "p\"2"), ("a%5Cb", "a\\b"), ("%5C.", "\\."), ("a%09b", "a\tb"), ("a%20b", "a b"),
        ("a+b", "a+b"), ("a%2Fb", "a/b"), ("caf%C3%A9", "café"), ("caf%c3%a9", "café"), ("%E6%97%A5%E6%9C%AC", "日本"),
        ("%F0%9F%98%80", "\u{1F600}"), ("%00", "\u{0}"), ("%25", "%"), ("é", "é"),
    ])
    func segmentsArePercentDecoded(segment: String, text: String) {
        #expect(APIController.pathText(segment).map { Array($0.utf8) } == Array(text.utf8))
    }

    @Test(arguments: ["%", "%4", "a%G1", "%zz", "%FF", "%C3", "%C0%80", "%ED%A0%80", "%F4%90%80%80", "%E6%97"])
    func malformedEscapesAndNonUTF8AreRejected(segment: String) {
        #expect(APIController.pathText(segment) == nil)
        #expect(throws: APIError.self) { try APIController.advertiserID(segment) }
    }

    @Test func advertiserIdsCountCodePoints() throws {
        #expect(try APIController.advertiserID(String(repeating: "%E6%97%A5", count: 256)) == String(repeating: "日", count: 256))
        #expect(throws: APIError.self) { try APIController.advertiserID(String(repeating: "%E6%97%A5", count: 257)) }
        #expect(throws: APIError.self) { try APIController.advertiserID("") }
    }

    @Test func jsonStringsEscapeQuotesBackslashesAndControlCharacters() throws {
        let text = "p\"2 a\\b\t\n\r\u{0}\u{1}\u{1F}\u{7F} café 日本 \u{2028}"
        var json = JSONBytes(capacity: 64)
        json.string(text)
        let bytes = Array(json.buffer.readableBytesView)
        #expect(String(decoding: bytes, as: UTF8.self)
            == #""p\"2 a\\b\t\n\r\u0000\u0001\u001f"# + "\u{7F} café 日本 \u{2028}\"")
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) as? String
        #expect(decoded.map { Array($0.utf8) } == Array(text.utf8))
    }

    @Test func canonicallyEquivalentIdsAreDistinctKeys() {
        let composed = ExactID("café"), decomposed = ExactID("cafe\u{301}")
        #expect(composed.text == decomposed.text)  // String equality is canonical equivalence...
        #expect(composed != decomposed)  // ...ids are compared by their bytes.
        #expect(Set([composed, decomposed, ExactID("café")]).count == 2)
    }
}
