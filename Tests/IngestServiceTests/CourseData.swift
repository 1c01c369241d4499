import Foundation

/// Locates the course data: `$ADRECS_COURSE_DATA`, else `<package root>/../shared/data`.
enum CourseData {
    static var root: String {
        if let override = ProcessInfo.processInfo.environment["ADRECS_COURSE_DATA"], !override.isEmpty {
            return override
        }
        // <root>/Tests/IngestServiceTests/CourseData.swift -> <root>/../shared/data
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path
    }

    /// The bytes of `file` in the data set `set` (e.g. `course-2025`, `product_views`).
    static func bytes(_ set: String, _ file: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: "\(root)/\(set)/\(file)")))
    }

    /// The lines of `bytes`, without line endings (LF or CRLF; the final LF starts no line).
    static func lines(_ bytes: [UInt8]) -> [String] {
        var body = bytes[...]
        if body.last == UInt8(ascii: "\n") { body = body.dropLast() }
        return body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }
}
