import AdrecsDomain
import AdrecsTestSupport
import Foundation
import ModelsService
import Testing

/// The core reproduces the course's expected.csv for every date of both course folders.
@Suite("Course data acceptance", .offThePool, .timeLimit(.minutes(5)))
struct CourseDataAcceptanceTests {
    static let folders = CourseData.folders

    static func compare(_ actual: [Recommendation], _ expected: [Recommendation], _ context: String) {
        let differences = CourseData.differences(actual, expected)
        #expect(differences.isEmpty, "\(context): \(differences.joined(separator: "; "))")
    }

    @Test(arguments: folders)
    func everyDateMatchesExpected(_ folder: String) throws {
        let path = CourseData.folder(folder)
        try #require(FileManager.default.fileExists(atPath: path), "course data missing at \(path): set ADRECS_COURSE_DATA")
        let expected = try CourseData.expected(folder)
        let report = try LocalModelRunner(directory: path).run(selection: .all)
        let expectedDays = Set(expected.map(\.day))
        #expect(Set(report.results.map(\.day)) == expectedDays)
        #expect(expectedDays.count == (folder == "course-2024" ? 30 : 35))
        Self.compare(report.recommendations, expected, folder)
        for result in report.results {
            let statistics = result.statistics
            #expect(statistics.productViews.linesRead == 100_000 && statistics.adsViews.linesRead == 100_000)
            #expect(statistics.advertiserIds.active == 20)
            #expect(statistics.productViews.rowsKept + statistics.productViews.rowsDroppedInactive == statistics.productViews.rowsOnDate)
            #expect(statistics.productViews.rowsDroppedInactive > 0 && statistics.adsViews.rowsDroppedInactive > 0)
        }
    }

    @Test(arguments: folders)
    func singleDateRunsMatchExpected(_ folder: String) throws {
        let path = CourseData.folder(folder)
        try #require(FileManager.default.fileExists(atPath: path), "course data missing at \(path): set ADRECS_COURSE_DATA")
        let expected = try CourseData.expected(folder)
        let days = Array(Set(expected.map(\.day))).sorted()
        try #require(!days.isEmpty)
        for day in [days.first, days[days.count / 2], days.last].compactMap({ $0 }) {
            let report = try LocalModelRunner(directory: path, chunkSize: 4093).run(selection: .single(day))
            #expect(report.results.map(\.day) == [day])
            Self.compare(report.recommendations, expected.filter { $0.day == day }, "\(folder) \(day)")
        }
    }
}
