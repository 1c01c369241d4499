extension String: PGEncodable {
    public var pgText: String { self }
}

extension Substring: PGEncodable {
    public var pgText: String { String(self) }
}

extension Int: PGEncodable {
    public var pgText: String { String(self) }
}

extension Int32: PGEncodable {
    public var pgText: String { String(self) }
}

extension Int64: PGEncodable {
    public var pgText: String { String(self) }
}

extension Double: PGEncodable {
    /// The shortest text that reads back as the same `Double`; `inf`, `-inf`, `nan` for the
    /// special values, which PostgreSQL accepts.
    public var pgText: String { description }
}

extension Bool: PGEncodable {
    public var pgText: String { self ? "true" : "false" }
}
