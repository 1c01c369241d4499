import LibPQ
import Testing

@Suite("COPY FROM STDIN", .timeLimit(.minutes(2)))
struct CopyTests {
    @Test("100,000 rows streamed in chunks arrive intact")
    func bulk() async throws {
        try await TestDatabase.with { db in
            let (loaded, count, sum, spots) = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE recs (id int8 PRIMARY KEY, label text, score float8)")
                let loaded = try conn.copyFrom("COPY recs (id, label, score) FROM STDIN") { writer in
                    var chunk = ""
                    for id in 1...100_000 {
                        chunk += "\(id)\tad-\(id)-ü\t\(Double(id) / 4)\n"
                        if id % 1_000 == 0 {
                            try writer.write(chunk)
                            chunk = ""
                        }
                    }
                    try writer.write(Array("".utf8))
                }
                let stats = try conn.query("SELECT count(*) AS n, sum(id)::int8 AS s FROM recs")[0]
                let spots = try conn.query("SELECT id, label, score FROM recs WHERE id = ANY($1::int8[]) ORDER BY id", ["{1,4321,99999,100000}"])
                    .map { row in "\(try row.decode("id", as: Int.self)) \(try row.decode("label", as: String.self)) \(try row.decode("score", as: Double.self))" }
                return (loaded, try stats.decode("n", as: Int.self), try stats.decode("s", as: Int.self), spots)
            }
            #expect(loaded == 100_000)
            #expect(count == 100_000)
            #expect(sum == 100_000 * 100_001 / 2)
            #expect(spots == ["1 ad-1-ü 0.25", "4321 ad-4321-ü 1080.25", "99999 ad-99999-ü 24999.75", "100000 ad-100000-ü 25000.0"])
        }
    }

    @Test("chunks may split rows anywhere, including inside a UTF-8 character")
    func splitChunks() async throws {
        try await TestDatabase.with { db in
            let labels = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (id int4, label text)")
                let data = Array("1\tGrüße\n2\t世界\n3\tx\n".utf8)
                try conn.copyFrom("COPY t FROM STDIN") { writer in
                    for byte in data { try writer.write([byte]) }
                }
                return try conn.query("SELECT label FROM t ORDER BY id").map { try $0.decode("label", as: String.self) }
            }
            #expect(labels == ["Grüße", "世界", "x"])
        }
    }

    @Test("writeRow escapes any string and writes nil as NULL")
    func rows() async throws {
        let labels: [String?] = [
            "tab\there", "new\nline\r\n", "back\\slash \\N \\t", "\\N", "", nil, "Grüße 世界 🚀", "'); DROP TABLE t; --",
        ]
        try await TestDatabase.with { db in
            let stored = try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (id int4, label text, score float8, ok bool)")
                let loaded = try conn.copyFrom("COPY t (id, label, score, ok) FROM STDIN") { writer in
                    for (id, label) in labels.enumerated() {
                        try writer.writeRow([id, label, Double(id) / 2, id.isMultiple(of: 2)])
                    }
                }
                #expect(loaded == labels.count)
                return try conn.query("SELECT label, score, ok FROM t ORDER BY id").map { row in
                    (try row.decode("label", as: String?.self), try row.decode("score", as: Double.self), try row.decode("ok", as: Bool.self))
                }
            }
            #expect(stored.map(\.0) == labels)
            #expect(stored.map(\.1) == labels.indices.map { Double($0) / 2 })
            #expect(stored.map(\.2) == labels.indices.map { $0.isMultiple(of: 2) })
        }
    }

    @Test("a bad row fails with its SQLSTATE and leaves the table unchanged")
    func badRow() async throws {
        try await TestDatabase.with { db in
            try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (id int4, label text)")
                try conn.execute("INSERT INTO t VALUES (0, 'before')")
                let error = #expect(throws: PGError.self) {
                    try conn.copyFrom("COPY t FROM STDIN") { writer in
                        for chunk in 0..<20 {
                            var text = ""
                            for id in 1...500 { text += "\(chunk * 500 + id)\tok\n" }
                            if chunk == 10 { text += "not-a-number\tbad\n" }
                            try writer.write(text)
                        }
                    }
                }
                #expect(error?.sqlState == "22P02")
                #expect(error?.operation == .copy)
                #expect(error?.message.contains("not-a-number") == true)
                let count = try conn.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self)
                #expect(count == 1)
            }
        }
    }

    @Test("an error thrown while feeding aborts the COPY; the connection stays usable")
    func clientAbort() async throws {
        struct Stop: Error, Equatable {}
        try await TestDatabase.with(maxConnections: 1) { db in
            try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (id int4)")
                #expect(throws: Stop()) {
                    try conn.copyFrom("COPY t FROM STDIN") { writer in
                        try writer.write("1\n2\n")
                        throw Stop()
                    }
                }
                #expect(try conn.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
                let notCopy = #expect(throws: PGError.self) { try conn.copyFrom("SELECT 1") { _ in } }
                #expect(notCopy?.operation == .copy)
                let viaQuery = #expect(throws: PGError.self) { try conn.query("COPY t FROM STDIN") }
                #expect(viaQuery?.sqlState == "0A000")
                #expect(try conn.execute("INSERT INTO t VALUES ($1)", [5]) == 1)
            }
        }
    }
}
