import AdrecsDomain
import Testing

@Suite("LineSplitter")
struct LineSplitterTests {
    static func lines(_ text: String, chunkSizes: [Int]? = nil) -> [String] {
        let bytes = Array(text.utf8)
        var splitter = LineSplitter()
        var result: [String] = []
        var numbers: [Int] = []
        let collect = { (line: UnsafeRawBufferPointer, number: Int) in
            result.append(String(decoding: line, as: UTF8.self))
            numbers.append(number)
        }
        var start = 0
        for size in chunkSizes ?? [bytes.count] where start < bytes.count {
            let end = min(bytes.count, start + size)
            splitter.feed(Array(bytes[start..<end]), collect)
            start = end
        }
        if start < bytes.count { splitter.feed(Array(bytes[start...]), collect) }
        splitter.finish(collect)
        #expect(numbers == (0..<result.count).map { $0 + 1 })
        return result
    }

    @Test func lfAndCrlfGiveTheSameLines() {
        #expect(Self.lines("h\na\nb\n") == ["h", "a", "b"])
        #expect(Self.lines("h\r\na\r\nb\r\n") == ["h", "a", "b"])
    }

    @Test func finalLineWithoutNewlineCounts() {
        #expect(Self.lines("h\na\nb") == ["h", "a", "b"])
        #expect(Self.lines("h\r\na\r\nb\r") == ["h", "a", "b"])
    }

    @Test func blankLinesAreLinesButAFinalNewlineIsNot() {
        #expect(Self.lines("h\n\na\n") == ["h", "", "a"])
        #expect(Self.lines("h\r\n\r\na\r\n\r\n") == ["h", "", "a", ""])
        #expect(Self.lines("") == [])
        #expect(Self.lines("\n") == [""])
    }

    @Test func onlyTheCrBeforeTheLineEndIsRemoved() {
        #expect(Self.lines("a\rb\n\rc\n") == ["a\rb", "\rc"])
    }

    @Test(arguments: ["h\na,b\r\nccc\n\ndd", "h\r\n\r\nx\r\nyy\r", "abc", "a\n"])
    func everyChunkBoundaryGivesTheSameLines(_ text: String) {
        let whole = Self.lines(text)
        let count = text.utf8.count
        for cut in 0...count {
            #expect(Self.lines(text, chunkSizes: [cut, count]) == whole, "cut at \(cut)")
        }
        #expect(Self.lines(text, chunkSizes: Array(repeating: 1, count: count)) == whole)
    }
}
