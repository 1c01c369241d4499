import LibPQ
import Testing

@Suite("Parameterized round trips", .timeLimit(.minutes(2)))
struct RoundTripTests {
    static let strings = [
        "plain", "", "Grüße, 世界 🚀 ñ", "'); DROP TABLE items; --", "Robert'); DELETE FROM items WHERE ('1'='1",
        "back\\slash \"quotes\" $1 %s \t tab\nnew line", String(repeating: "long ", count: 20_000),
    ]

    @Test("strings are stored verbatim, injection-looking ones included", arguments: strings)
    func string(_ value: String) async throws {
        try await TestDatabase.with { db in
            let stored = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE items (id int8 PRIMARY KEY, s text)")
                #expect(try conn.execute("INSERT INTO items (id, s) VALUES ($1, $2)", [1, value]) == 1)
                let rows = try conn.query("SELECT s, length(s) AS n, (SELECT count(*) FROM items) AS total FROM items WHERE s = $1", [value])
                try #require(rows.count == 1)
                #expect(try rows[0].decode("n", as: Int.self) == value.count)
                #expect(try rows[0].decode("total", as: Int.self) == 1)
                return try rows[0].decode("s", as: String.self)
            }
            #expect(stored == value)
        }
    }

    @Test("integers", arguments: [0, 1, -1, 42, Int.max, Int.min])
    func integer(_ value: Int) async throws {
        try await TestDatabase.with { db in
            let row = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE n (i int8, j int4)")
                try conn.execute("INSERT INTO n VALUES ($1, $2)", [value, Int32(truncatingIfNeeded: value)])
                return try conn.query("SELECT i, j, i + 0 AS k FROM n WHERE i = $1", [value])[0]
            }
            #expect(try row.decode("i", as: Int.self) == value)
            #expect(try row.decode("i", as: Int64.self) == Int64(value))
            #expect(try row.decode("j", as: Int32.self) == Int32(truncatingIfNeeded: value))
            #expect(try row.decode("j", as: Int.self) == Int(Int32(truncatingIfNeeded: value)))
            #expect(try row.decode(2, as: Int.self) == value)
        }
    }

    @Test("doubles", arguments: [0, -2.5, 3.141592653589793, 1e-300, 1.7976931348623157e308, 0.1 + 0.2, .infinity, -.infinity])
    func double(_ value: Double) async throws {
        try await TestDatabase.with { db in
            let decoded = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE d (x float8)")
                try conn.execute("INSERT INTO d VALUES ($1)", [value])
                return try conn.query("SELECT x FROM d WHERE x = $1", [value])[0].decode("x", as: Double.self)
            }
            #expect(decoded == value)
        }
    }

    @Test("NaN, numeric and integer columns decode as Double")
    func doubleSpecials() async throws {
        try await TestDatabase.with { db in
            let row = try await db.pool.query("SELECT $1::float8 AS nan, 12.5::numeric AS num, 7::int4 AS i, 1.5::float4 AS f", [Double.nan])[0]
            #expect(try row.decode("nan", as: Double.self).isNaN)
            #expect(try row.decode("num", as: Double.self) == 12.5)
            #expect(try row.decode("i", as: Double.self) == 7)
            #expect(try row.decode("f", as: Double.self) == 1.5)
        }
    }

    @Test("booleans", arguments: [true, false])
    func bool(_ value: Bool) async throws {
        try await TestDatabase.with { db in
            let row = try await db.pool.query("SELECT $1::bool AS b, NOT $1::bool AS nb", [value])[0]
            #expect(try row.decode("b", as: Bool.self) == value)
            #expect(try row.decode("nb", as: Bool.self) == !value)
        }
    }

    @Test("NULL binds and decodes as nil for every type, and fails non-optional decoding")
    func nulls() async throws {
        try await TestDatabase.with { db in
            let none: Int? = nil
            let rows = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (s text, i int8, d float8, b bool)")
                try conn.execute("INSERT INTO t VALUES ($1, $2, $3, $4)", [nil, none, Double?.none, nil])
                try conn.execute("INSERT INTO t VALUES ($1, $2, $3, $4)", ["x", 5, 2.5, true])
                return try conn.query("SELECT s, i, d, b FROM t ORDER BY s NULLS FIRST")
            }
            try #require(rows.count == 2)
            #expect(rows.columns == ["s", "i", "d", "b"])
            #expect(try rows[0].decode("s", as: String?.self) == nil)
            #expect(try rows[0].decode("i", as: Int?.self) == nil)
            #expect(try rows[0].decode("i", as: Int64?.self) == nil)
            #expect(try rows[0].decode("d", as: Double?.self) == nil)
            #expect(try rows[0].decode("b", as: Bool?.self) == nil)
            #expect(rows[0].isNull(0))
            #expect(try rows[1].decode("s", as: String?.self) == "x")
            #expect(try rows[1].decode("i", as: Int?.self) == 5)
            #expect(try rows[1].decode("d", as: Double?.self) == 2.5)
            #expect(try rows[1].decode("b", as: Bool?.self) == true)
            #expect(!rows[1].isNull(0))
            let error = #expect(throws: PGError.self) { try rows[0].decode("i", as: Int.self) }
            #expect(error?.operation == .decode)
            #expect(error?.message.contains("\"i\" (int8) is NULL") == true)
        }
    }

    @Test("type mismatches give clear decode errors")
    func mismatches() async throws {
        try await TestDatabase.with { db in
            let row = try await db.pool.query("SELECT 'abc'::text AS t, 5000000000::int8 AS big, 1::int4 AS one, true AS flag")[0]
            let textAsInt = #expect(throws: PGError.self) { try row.decode("t", as: Int.self) }
            #expect(textAsInt?.message == "column \"t\" of type text cannot be decoded as Int")
            let overflow = #expect(throws: PGError.self) { try row.decode("big", as: Int32.self) }
            #expect(overflow?.message.contains("value \"5000000000\" is not a valid Int32") == true)
            let intAsBool = #expect(throws: PGError.self) { try row.decode("one", as: Bool.self) }
            #expect(intAsBool?.message == "column \"one\" of type int4 cannot be decoded as Bool")
            let boolAsDouble = #expect(throws: PGError.self) { try row.decode("flag", as: Double.self) }
            #expect(boolAsDouble?.operation == .decode)
            let missing = #expect(throws: PGError.self) { try row.decode("nope", as: String.self) }
            #expect(missing?.message.contains("no column \"nope\"") == true)
            #expect(try row.decode("one", as: String.self) == "1")
            #expect(try row.decode("flag", as: String.self) == "t")
        }
    }

    @Test("commands return affected row counts")
    func affectedRows() async throws {
        try await TestDatabase.with { db in
            let counts = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE c (id int4, tag text)")
                let inserted = try conn.execute("INSERT INTO c SELECT g, 'a' FROM generate_series(1, $1::int4) g", [7])
                let updated = try conn.execute("UPDATE c SET tag = $1 WHERE id > $2", ["b", 4])
                let deleted = try conn.execute("DELETE FROM c WHERE tag = $1", ["a"])
                let none = try conn.execute("DELETE FROM c WHERE id < 0")
                let selected = try conn.query("SELECT * FROM c")
                return [inserted, updated, deleted, none, selected.count, selected.affectedRows]
            }
            #expect(counts == [7, 3, 4, 0, 3, 3])
        }
    }

    @Test("parameters never become SQL: one statement per call, NUL bytes rejected")
    func onlyParameters() async throws {
        try await TestDatabase.with { db in
            try await db.pool.withConnection { conn in
                let twoStatements = #expect(throws: PGError.self) { try conn.query("SELECT 1; SELECT 2") }
                #expect(twoStatements?.sqlState == "42601")
                let nul = #expect(throws: PGError.self) { try conn.query("SELECT $1::text", ["a\u{0}b"]) }
                #expect(nul?.sqlState == "22021")
                let value = try conn.query("SELECT $1::text AS v", ["still usable"])[0].decode("v", as: String.self)
                #expect(value == "still usable")
            }
        }
    }
}
