/// The status, headers and body of one HTTP exchange made by ``CurlEasy/exchange(_:method:body:headers:timeout:)``.
public struct CurlHTTPResponse: Sendable, Equatable {
    public var status: Int
    /// Header lines as received (`Name: value`), without the status line.
    public var headers: [String]
    public var body: [UInt8]

    public init(status: Int, headers: [String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let prefix = name.lowercased() + ":"
        guard let line = headers.first(where: { $0.lowercased().hasPrefix(prefix) }) else { return nil }
        return String(line.dropFirst(prefix.count)).trimmingSpaces()
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
