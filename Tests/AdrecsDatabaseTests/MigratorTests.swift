import AdrecsDatabase
import LibPQ
import Testing

@Suite(.timeLimit(.minutes(2)))
struct MigratorTests {
    @Test func freshSchemaGetsEveryVersionThenNothing() async throws {
        try await TestDatabase.with("mig", migrate: false) { db in
            let first = try await Migrator.migrate(pool: db.pool, schema: db.config.schema, logger: db.logger)
            #expect(first == Array(1...Migrator.latestVersion))
            #expect(Migrator.latestVersion >= 2)
            let second = try await Migrator.migrate(pool: db.pool, schema: db.config.schema, logger: db.logger)
            #expect(second == [])
            let tables = try await db.pool.query("""
                SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name COLLATE "C"
                """, [db.config.schema]).map { try $0.decode("table_name", as: String.self) }
            #expect(tables == ["active_advertisers", "committed_days", "recommendations", "run_stages", "runs", "schema_migrations"])
        }
    }

    @Test func concurrentMigrationsApplyOnce() async throws {
        try await TestDatabase.with("migc", migrate: false) { db in
            let schema = db.config.schema
            let logger = db.logger
            let pools = (0..<4).map { _ in db.makePool() }
            let results = try await withThrowingTaskGroup(of: [Int].self) { group in
                for pool in pools {
                    group.addTask { try await Migrator.migrate(pool: pool, schema: schema, logger: logger) }
                }
                var all: [[Int]] = []
                for try await applied in group { all.append(applied) }
                return all
            }
            for pool in pools { await pool.close() }
            #expect(results.flatMap { $0 }.sorted() == Array(1...Migrator.latestVersion))
            let count = try await db.pool.query("SELECT count(*) AS n FROM schema_migrations")[0].decode("n", as: Int.self)
            #expect(count == Migrator.latestVersion)
        }
    }

    @Test func searchPathIsTheConfiguredSchema() async throws {
        try await TestDatabase.with("path") { db in
            let path = try await db.pool.query("SELECT current_schema() AS s")[0].decode("s", as: String.self)
            #expect(path == db.config.schema)
        }
    }

    @Test func invalidSchemaIsRejected() async throws {
        let config = DatabaseConfig(url: try TestDatabase.url(), schema: "public")
        let pool = config.makePool(applicationName: "adrecs-db-tests")
        await #expect(throws: LedgerError.invalidSchema("Bad;Name")) {
            try await Migrator.migrate(pool: pool, schema: "Bad;Name", logger: .init(label: "t"))
        }
        await pool.close()
    }
}
