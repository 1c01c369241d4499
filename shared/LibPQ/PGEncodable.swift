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
