import Foundation

/// Locates the course data: `$ADRECS_COURSE_DATA`, else `<package root>/../shared/data`.
enum CourseData {
    static var root: String {
        if let override = ProcessInfo.processInfo.environment["ADRECS_COURSE_DATA"], !override.isEmpty {
            return override
        }
        // <root>/Tests/AdrecsDatabaseTests/CourseData.swift -> <root>/../shared/data
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    static func folder(_ name: String) -> String { root + "/" + name }
}
