import AdrecsTestSupport
import AdrecsDatabase
import Foundation
import LibPQ
import Logging
import Testing

/// A fresh, migrated schema on the PostgreSQL at `DB_URL`, dropped after the test.
struct TestDatabase: Sendable {
    let config: DatabaseConfig
    let pool: PGPool
    let logger: Logger

    static func url() throws -> String {
        try TestEnvironment.require("DB_URL", hint: "these tests need a real PostgreSQL")
    }

    /// Runs `body` against a new schema `adrecs_t_<prefix>_<random>`; `migrate: false` leaves it uncreated.
    static func with<T: Sendable>(
        _ prefix: String, migrate: Bool = true, _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let schema = "adrecs_t_\(prefix)_\(String(UInt32.random(in: .min ... .max), radix: 16))"
        let config = DatabaseConfig(url: try url(), schema: schema, poolSize: 4)
        var logger = Logger(label: "adrecs.tests.db")
        logger.logLevel = .error
        let pool = config.makePool(applicationName: "adrecs-db-tests")
        let database = TestDatabase(config: config, pool: pool, logger: logger)
        if migrate { try await Migrator.migrate(pool: pool, schema: schema, logger: logger) }
        do {
            let value = try await body(database)
            try await database.drop()
            return value
        } catch {
            try? await database.drop()
            throw error
        }
    }

    private func drop() async throws {
        try await pool.execute("DROP SCHEMA IF EXISTS \(config.schema) CASCADE")
        await pool.close()
    }

    /// A new pool on the same schema (for concurrency tests).
    func makePool() -> PGPool { config.makePool(applicationName: "adrecs-db-tests") }

    func ledger(staleAfter: Duration = .seconds(30)) -> RunLedger {
        RunLedger(pool: pool, staleAfter: staleAfter, logger: logger)
    }
}
