import AdrecsTestSupport
import Foundation
import LibPQ

/// A schema of its own on the project's PostgreSQL (`DB_URL`), and a pool whose connections
/// use it as `search_path`. Created per test and dropped afterwards, so suites run in parallel.
struct TestDatabase: Sendable {
    let schema: String
    let info: PGConnectInfo
    let pool: PGPool

    /// `DB_URL`, e.g. `postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable`.
    static func databaseURL() throws -> String {
        try TestEnvironment.require(
            "DB_URL",
            hint: "run scripts/pg.sh start, then DB_URL=postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable swift test --filter LibPQTests")
    }

    /// `url` with extra libpq parameters appended, in URI or key=value form.
    static func dsn(_ url: String, adding parameters: [(String, String)]) -> String {
        if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            let query = parameters.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
            }.joined(separator: "&")
            return url + (url.contains("?") ? "&" : "?") + query
        }
        return ([url] + parameters.map { "\($0)='\($1)'" }).joined(separator: " ")
    }

    static func randomName(_ prefix: String) -> String {
        "\(prefix)_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// Runs `body` with a fresh schema, then drops it (also when `body` throws).
    static func with(
        maxConnections: Int = 4, _ body: (TestDatabase) async throws -> Void
    ) async throws {
        let url = try databaseURL()
        let admin = PGPool(PGConnectInfo(url), configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1)))
        do {
            try await admin.execute("SELECT 1")
        } catch {
            throw TestSetupError("PostgreSQL at DB_URL is not reachable (start it with scripts/pg.sh start): \(error)")
        }
        let schema = randomName("pqtest")
        try await admin.execute("CREATE SCHEMA \(schema)")
        let info = PGConnectInfo(dsn(url, adding: [("options", "-csearch_path=\(schema)")]))
        let database = TestDatabase(
            schema: schema, info: info,
            pool: PGPool(info, configuration: .init(maxConnections: maxConnections, connectRetry: .init(maxAttempts: 2)))
        )
        try await TestScope.run { try await body(database) } cleanUp: {
            await database.pool.close()
            _ = try? await admin.execute("DROP SCHEMA \(schema) CASCADE")
            await admin.close()
        }
    }
}
