/// Names and groups of the built-in type OIDs the decoders check (`pg_type.oid`).
enum PGTypeName {
    static let bool: UInt32 = 16
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let oid: UInt32 = 26
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let numeric: UInt32 = 1700

    static let integers: Set<UInt32> = [int2, int4, int8, oid]
    static let floats: Set<UInt32> = [float4, float8, numeric, int2, int4, int8, oid]

    private static let names: [UInt32: String] = [
        16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4", 25: "text",
        26: "oid", 114: "json", 700: "float4", 701: "float8", 705: "unknown", 1042: "bpchar",
        1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp", 1184: "timestamptz",
        1700: "numeric", 2950: "uuid", 3802: "jsonb",
    ]

    /// A readable name for `oid`, e.g. `int4`, or `oid 1234` for types not listed here.
    static func of(_ oid: UInt32) -> String { names[oid] ?? "oid \(oid)" }
}
