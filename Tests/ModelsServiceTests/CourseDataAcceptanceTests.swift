import AdrecsDomain
import Foundation
import ModelsService
import Testing

/// The core reproduces the course's expected.csv for every date of both course folders.
@Suite("Course data acceptance", .timeLimit(.minutes(5)))
struct CourseDataAcceptanceTests {
    static let folders = ["course-2024", "course-2025"]

    static func expected(_ folder: String) throws -> [Recommendation] {
        let path = CourseData.folder(folder) + "/expected.csv"
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("course data missing: \(path) (set ADRECS_COURSE_DATA or put shared/data beside the package)")
            throw CancellationError()
        }
        return try RecommendationCSV.parse(document: String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    /// Compares row for row: identity columns exactly, ctr to 1e-12.
    static func compare(_ actual: [Recommendation], _ expected: [Recommendation], _ context: String) {
        #expect(actual.count == expected.count, "\(context): row count")
        var mismatches = 0
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            let same = a.day == e.day && a.advertiserId == e.advertiserId && a.model == e.model && a.rank == e.rank
                && a.productId == e.productId && a.views == e.views && a.impressions == e.impressions && a.clicks == e.clicks
                && (a.ctr == nil) == (e.ctr == nil) && abs((a.ctr ?? 0) - (e.ctr ?? 0)) <= 1e-12
            if !same {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(context) row \(index + 2): got \(RecommendationCSV.line(a)), expected \(RecommendationCSV.line(e))")
                }
            }
        }
        #expect(mismatches == 0, "\(context): \(mismatches) mismatching rows")
    }

    @Test(arguments: folders)
    func everyDateMatchesExpected(_ folder: String) throws {
        let path = CourseData.folder(folder)
        try #require(FileManager.default.fileExists(atPath: path), "course data missing at \(path): set ADRECS_COURSE_DATA")
        let expected = try Self.expected(folder)
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
        let expected = try Self.expected(folder)
        let days = Array(Set(expected.map(\.day))).sorted()
        for day in [days.first, days[days.count / 2], days.last].compactMap({ $0 }) {
            let report = try LocalModelRunner(directory: path, chunkSize: 4093).run(selection: .single(day))
            #expect(report.results.map(\.day) == [day])
            Self.compare(report.recommendations, expected.filter { $0.day == day }, "\(folder) \(day)")
        }
    }
}
