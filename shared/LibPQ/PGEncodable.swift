/// A Swift value that can be bound as a query parameter in libpq's text format.
///
/// Parameters are passed as `[(any PGEncodable)?]`: `nil` binds SQL NULL. Parameter types are
/// left for the server to infer from the statement (OID 0), so an `Int` binds to `int4`, `int8`
/// or `numeric` columns alike; add a cast (`$1::int8`) where the statement gives no context.
///
/// Conformances: `String`, `Substring`, `Int`, `Int32`, `Int64`, `Double`, `Bool`.
public protocol PGEncodable: Sendable {
    /// The value in PostgreSQL's text input syntax.
    var pgText: String { get }
}

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
