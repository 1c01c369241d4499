import AdrecsDomain
import APIService
import Foundation
import LibPQ

/// A schema of its own on the project's PostgreSQL (`DB_URL`) with the pipeline's read tables,
/// filled with plain INSERTs in the writer's shape (one transaction per day, then
/// `NOTIFY adrecs_days`). Dropped afterwards.
struct LiveDatabase: Sendable {
    let url: String
    let schema: String
    let pool: PGPool

    static func with(_ body: (LiveDatabase) async throws -> Void) async throws {
        guard let url = ProcessInfo.processInfo.environment["DB_URL"], !url.isEmpty else {
            throw TestFailure("DB_URL is not set (e.g. postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable)")
        }
        let schema = "apitest_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let pool = PGPool(PGConnectInfo(url), configuration: .init(maxConnections: 2, connectRetry: .init(maxAttempts: 2)))
        do {
            try await pool.execute("CREATE SCHEMA \(schema)")
        } catch {
            throw TestFailure("PostgreSQL at DB_URL is not reachable: \(error)")
        }
        let database = LiveDatabase(url: url, schema: schema, pool: pool)
        let outcome: Result<Void, any Error>
        do {
            try await database.createTables()
            try await body(database)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        _ = try? await pool.execute("DROP SCHEMA \(schema) CASCADE")
        await pool.close()
        try outcome.get()
    }

    private func createTables() async throws {
        let schema = schema
        try await pool.withConnection { connection in
            _ = try connection.execute("SET search_path TO \(schema)")
            _ = try connection.execute("""
                CREATE TABLE recommendations (date date NOT NULL, advertiser_id text NOT NULL,
                  model text NOT NULL CHECK (model IN ('TopCTR','TopProduct')), rank int NOT NULL CHECK (rank BETWEEN 1 AND 20),
                  product_id text NOT NULL, views int, impressions int, clicks int, ctr double precision,
                  PRIMARY KEY (date, advertiser_id, model, rank))
                """)
            _ = try connection.execute(
                "CREATE TABLE active_advertisers (date date NOT NULL, advertiser_id text NOT NULL, PRIMARY KEY (date, advertiser_id))")
            _ = try connection.execute("""
                CREATE TABLE committed_days (date date PRIMARY KEY, run_id text NOT NULL,
                  committed_at timestamptz NOT NULL DEFAULT now(), recommendation_rows int NOT NULL, advertisers int NOT NULL)
                """)
        }
    }

    /// Replaces `day` in one transaction and notifies `adrecs_days`, as the writer does.
    func commit(_ day: SnapshotDay) async throws {
        let schema = schema
        try await pool.withConnection { connection in
            _ = try connection.execute("SET search_path TO \(schema)")
            try connection.transaction { connection in
                let date = day.stamp.date.description
                _ = try connection.execute("DELETE FROM recommendations WHERE date = $1::date", [date])
                _ = try connection.execute("DELETE FROM active_advertisers WHERE date = $1::date", [date])
                for row in day.recommendations {
                    _ = try connection.execute(
                        """
                        INSERT INTO recommendations (date, advertiser_id, model, rank, product_id, views, impressions, clicks, ctr)
                        VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8, $9)
                        """,
                        [date, row.advertiserID, row.model.rawValue, row.rank, row.productID, row.views, row.impressions,
                         row.clicks, row.ctr])
                }
                for advertiser in day.activeAdvertisers {
                    _ = try connection.execute(
                        "INSERT INTO active_advertisers (date, advertiser_id) VALUES ($1::date, $2)", [date, advertiser])
                }
                _ = try connection.execute(
                    """
                    INSERT INTO committed_days (date, run_id, committed_at, recommendation_rows, advertisers)
                    VALUES ($1::date, $2, now(), $3, $4)
                    ON CONFLICT (date) DO UPDATE SET run_id = excluded.run_id, committed_at = excluded.committed_at,
                      recommendation_rows = excluded.recommendation_rows, advertisers = excluded.advertisers
                    """, [date, day.stamp.runID, day.recommendations.count, day.activeAdvertisers.count])
                _ = try connection.query("SELECT pg_notify('adrecs_days', $1)", ["\(date) \(day.stamp.runID)"])
            }
        }
    }
}
