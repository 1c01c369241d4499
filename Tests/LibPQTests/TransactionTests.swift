import LibPQ
import Testing

@Suite("Transactions", .timeLimit(.minutes(2)))
struct TransactionTests {
    struct Boom: Error, Equatable {}

    @Test("COMMIT makes every statement visible to other connections")
    func commit() async throws {
        try await TestDatabase.with { db in
            try await db.pool.execute("CREATE TABLE days (day text PRIMARY KEY, n int4)")
            let value = try await db.pool.transaction { conn in
                try conn.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-01", 1])
                try conn.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-02", 2])
                #expect(conn.isInTransaction)
                return "done"
            }
            #expect(value == "done")
            let count = try await db.pool.query("SELECT count(*) AS n FROM days")[0].decode("n", as: Int.self)
            #expect(count == 2)
        }
    }

    @Test("an error thrown by the body rolls back and is rethrown unchanged")
    func rollbackOnThrow() async throws {
        try await TestDatabase.with { db in
            try await db.pool.execute("CREATE TABLE days (day text PRIMARY KEY, n int4)")
            try await db.pool.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-01", 1])
            await #expect(throws: Boom()) {
                try await db.pool.transaction { conn in
                    try conn.execute("DELETE FROM days")
                    try conn.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-03", 3])
                    throw Boom()
                }
            }
            let days = try await db.pool.query("SELECT day FROM days").map { try $0.decode("day", as: String.self) }
            #expect(days == ["2026-11-01"])
        }
    }

    @Test("a failing statement rolls back the whole transaction with its SQLSTATE")
    func rollbackOnStatementError() async throws {
        try await TestDatabase.with { db in
            try await db.pool.execute("CREATE TABLE days (day text PRIMARY KEY, n int4)")
            try await db.pool.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-01", 1])
            let error = await #expect(throws: PGError.self) {
                try await db.pool.transaction { conn in
                    try conn.execute("DELETE FROM days WHERE day = $1", ["2026-11-01"])
                    try conn.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-02", 2])
                    try conn.execute("INSERT INTO days VALUES ($1, $2)", ["2026-11-02", 3])
                }
            }
            #expect(error?.sqlState == "23505")
            let days = try await db.pool.query("SELECT day FROM days ORDER BY day").map { try $0.decode("day", as: String.self) }
            #expect(days == ["2026-11-01"])
        }
    }

    @Test("a swallowed statement error still fails COMMIT with 25P02; nesting is refused")
    func swallowedErrorAndNesting() async throws {
        try await TestDatabase.with { db in
            try await db.pool.withConnection { conn in
                try conn.execute("CREATE TABLE t (id int4 PRIMARY KEY)")
                let commit = #expect(throws: PGError.self) {
                    try conn.transaction { conn in
                        try conn.execute("INSERT INTO t VALUES (1)")
                        _ = try? conn.execute("INSERT INTO t VALUES (1)")
                    }
                }
                #expect(commit?.sqlState == "25P02")
                #expect(!conn.isInTransaction)
                #expect(try conn.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self) == 0)
                let nested = #expect(throws: PGError.self) {
                    try conn.transaction { conn in try conn.transaction { _ in } }
                }
                #expect(nested?.sqlState == "25001")
                #expect(!conn.isInTransaction)
            }
        }
    }

    @Test("a connection returned to the pool inside a transaction is rolled back")
    func leakedTransaction() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            try await db.pool.execute("CREATE TABLE t (id int4)")
            try await db.pool.withConnection { conn in
                try conn.execute("BEGIN")
                try conn.execute("INSERT INTO t VALUES (1)")
            }
            let state = try await db.pool.withConnection { conn in
                (conn.isInTransaction, try conn.query("SELECT count(*) AS n FROM t")[0].decode("n", as: Int.self))
            }
            #expect(state.0 == false)
            #expect(state.1 == 0)
        }
    }
}
