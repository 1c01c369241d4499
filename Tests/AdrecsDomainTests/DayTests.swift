import AdrecsDomain
import Foundation
import Testing

@Suite("Day")
struct DayTests {
    @Test(arguments: ["2024-02-29", "2000-02-29", "2024-12-31", "2025-11-15", "0001-01-01", "9999-12-31"])
    func validDates(_ text: String) throws {
        let day = try #require(Day(text))
        #expect(day.description == text)
    }

    @Test(arguments: [
        "2024-02-30", "2023-02-29", "1900-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "0000-01-01",
        "2024-11-20 ", " 2024-11-20", "2024-11-2", "2024/11/20", "2024-1-120", "20241120", "", "2024-11-2a", "+024-11-20",
    ])
    func invalidDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func orderAndParts() throws {
        let early = try #require(Day("2024-12-31"))
        let late = try #require(Day("2025-01-01"))
        #expect(early < late)
        #expect(late.year == 2025 && late.month == 1 && late.day == 1)
        #expect(Day(year: 2024, month: 2, day: 29) == Day("2024-02-29"))
    }

    @Test func codableAsString() throws {
        let day = try #require(Day("2025-11-15"))
        let data = try JSONEncoder().encode([day])
        #expect(String(decoding: data, as: UTF8.self) == #"["2025-11-15"]"#)
        #expect(try JSONDecoder().decode([Day].self, from: data) == [day])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Day].self, from: Data(#"["2025-02-30"]"#.utf8)) }
    }
}
