extension CourseData {
    /// The lines of `bytes`, without line endings (LF or CRLF; the final LF starts no line).
    public static func lines(_ bytes: [UInt8]) -> [String] {
        var body = bytes[...]
        if body.last == UInt8(ascii: "\n") { body = body.dropLast() }
        return body.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }
}
