public import AdrecsDomain
import Foundation

/// The course logs and their expected results: `$ADRECS_COURSE_DATA`, else `<package root>/../shared/data`.
public enum CourseData {
    public static let folders = ["course-2024", "course-2025"]

    public static var root: String {
        if let override = ProcessInfo.processInfo.environment["ADRECS_COURSE_DATA"], !override.isEmpty {
            return override
        }
        return Repository.root.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    public static func folder(_ name: String) -> String { root + "/" + name }

    /// The bytes of `file` in course `folder`, failing with a clear message when the data is missing.
    public static func bytes(_ folder: String, _ file: String) throws -> [UInt8] {
        let path = self.folder(folder) + "/" + file
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestSetupError("course data missing: \(path) (set ADRECS_COURSE_DATA or put shared/data beside the package)")
        }
        return Array(data)
    }

    /// The rows of the folder's expected.csv.
    public static func expected(_ folder: String) throws -> [Recommendation] {
        try RecommendationCSV.parse(document: String(decoding: try bytes(folder, "expected.csv"), as: UTF8.self))
    }

    /// Row-for-row differences between `actual` and `expected`: identity columns exactly, ctr to 1e-12.
    /// Empty when they match; at most `limit` rows are described.
    public static func differences(_ actual: [Recommendation], _ expected: [Recommendation], limit: Int = 5) -> [String] {
        var found: [String] = []
        if actual.count != expected.count { found.append("row count \(actual.count), expected \(expected.count)") }
        for (index, (a, e)) in zip(actual, expected).enumerated() where !matches(a, e) {
            if found.count < limit {
                found.append("row \(index + 2): got \(RecommendationCSV.line(a)), expected \(RecommendationCSV.line(e))")
            } else {
                found.append("…")
                break
            }
        }
        return found
    }

    static func matches(_ a: Recommendation, _ e: Recommendation) -> Bool {
        a.day == e.day && a.advertiserId == e.advertiserId && a.model == e.model && a.rank == e.rank
            && a.productId == e.productId && a.views == e.views && a.impressions == e.impressions && a.clicks == e.clicks
            && (a.ctr == nil) == (e.ctr == nil) && abs((a.ctr ?? 0) - (e.ctr ?? 0)) <= 1e-12
    }
}
