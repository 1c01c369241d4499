import AdrecsDatabase
import AdrecsTestSupport
import LibPQ
import Testing

/// The time bounds of ``DatabaseConfig/Timeouts`` against the real PostgreSQL: set on every
/// session, enforced by the server (statements, lock waits) or by libpq (connecting).
@Suite(.timeLimit(.minutes(2)))
struct DatabaseTimeoutTests {
    static func config(_ timeouts: DatabaseConfig.Timeouts, url: String? = nil) throws -> DatabaseConfig {
        DatabaseConfig(url: try url ?? TestDatabase.url(), schema: "public", poolSize: 1, timeouts: timeouts)
    }

    @Test func everySessionGetsTheTimeouts() async throws {
        let pool = try Self.config(.init(statement: 7, lock: 3)).makePool(applicationName: "adrecs-timeout-tests")
        let row = try #require(try await pool.query(
            "SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l").first)
        #expect(try row.decode("s", as: String.self) == "7s")
        #expect(try row.decode("l", as: String.self) == "3s")
        #expect(pool.configuration.maxWait == .seconds(60))
        await pool.close()
    }

    @Test func theStatementTimeoutCancelsALongStatement() async throws {
        let pool = try Self.config(.init(statement: 1)).makePool(applicationName: "adrecs-timeout-tests")
        let start = ContinuousClock.now
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT pg_sleep(60)") }
        #expect(error?.sqlState == "57014")
        #expect(ContinuousClock.now - start < .seconds(30), "pg_sleep(60) was not cancelled")
        // The connection stays usable.
        #expect(try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        await pool.close()
    }

    @Test func theLockTimeoutEndsAWaitForALock() async throws {
        let key = Int64.random(in: 1...Int64.max)
        let holder = try Self.config(.init()).makePool(applicationName: "adrecs-timeout-tests")
        let waiter = try Self.config(.init(lock: 1)).makePool(applicationName: "adrecs-timeout-tests")
        // A session-level advisory lock stays held by the holder's idle pooled connection.
        try await holder.query("SELECT pg_advisory_lock($1)", [key])
        let error = await #expect(throws: PGError.self) { try await waiter.query("SELECT pg_advisory_lock($1)", [key]) }
        #expect(error?.sqlState == "55P03")
        try await holder.query("SELECT pg_advisory_unlock($1)", [key])
        try await waiter.query("SELECT pg_advisory_lock($1), pg_advisory_unlock($1)", [key])
        await holder.close()
        await waiter.close()
    }

    /// A server that accepts TCP and never answers: `connect_timeout` ends the attempt.
    @Test func theConnectTimeoutBoundsAServerThatNeverAnswers() async throws {
        let silent = try SilentListener()
        let config = try Self.config(
            .init(connect: 2), url: "postgresql://adrecs@127.0.0.1:\(silent.port)/adrecs?sslmode=disable")
        let pool = PGPool(config.connectInfo(applicationName: "adrecs-timeout-tests"),
                          configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1)))
        let start = ContinuousClock.now
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(ContinuousClock.now - start < .seconds(20), "connecting was not bounded")
        #expect(error?.sqlState == "08001")
        #expect(error?.message.contains("timeout") == true, "\(String(describing: error))")
        withExtendedLifetime(silent) {}
    }
}
