/// A completed HTTP exchange: the final status line's code, its headers (names lowercased)
/// and the collected body.
struct S3Response: Sendable {
    var status: Int = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []

    var isSuccess: Bool { (200..<300).contains(status) }

    subscript(header name: String) -> String? { headers[name] }

    /// Feeds one raw header line from curl. A status line starts a new response, so the
    /// headers of `100 Continue` or a redirect are dropped.
    mutating func consumeHeaderLine(_ raw: UnsafeRawBufferPointer) {
        var line = String(decoding: raw, as: UTF8.self)
        while line.last?.isNewline == true { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = [:]
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            headers[name] = value
        }
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace, line breaks included.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
