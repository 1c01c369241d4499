import AdrecsRuntime
public import LibPQ
public import Logging

/// Creates and upgrades adrecs' tables in one schema.
///
/// Migrations are embedded (``Migration/all``) and applied in version order, each in its own
/// transaction that first takes `pg_advisory_xact_lock` for the schema, creates the schema and
/// `schema_migrations(version, applied_at)` if missing, and skips a version already recorded.
/// So services starting at the same time apply each version exactly once.
public enum Migrator {
    /// The newest schema version this build knows.
    public static var latestVersion: Int { Migration.all.last?.version ?? 0 }

    /// Every version this build knows, in the order they are applied.
    public static var versions: [Int] { Migration.all.map(\.version) }

    /// Applies the missing migrations to `schema`; returns the versions applied now (`[]` when up to date).
    @discardableResult
    public static func migrate(pool: PGPool, schema: String, logger: Logger) async throws -> [Int] {
        guard DatabaseConfig.isValidSchemaName(schema) else {
            throw LedgerError.invalidSchema(schema)
        }
        var applied: [Int] = []
        for migration in Migration.all {
            let didApply = try await pool.transaction { connection in
                try connection.query("SELECT pg_advisory_xact_lock(hashtext('adrecs.migrate'), hashtext($1))", [schema])
                try connection.execute("CREATE SCHEMA IF NOT EXISTS \(schema)")
                try connection.execute("SET LOCAL search_path TO \(schema)")
                try connection.execute("""
                    CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY,
                      applied_at timestamptz NOT NULL DEFAULT now())
                    """)
                let done = try connection.query("SELECT 1 FROM schema_migrations WHERE version = $1", [migration.version])
                guard done.isEmpty else { return false }
                for statement in migration.statements {
                    try connection.execute(statement)
                }
                try connection.execute("INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
                return true
            }
            if didApply {
                applied.append(migration.version)
                logger.info("applied database migration", metadata: [
                    LogKeys.schema: "\(schema)", LogKeys.migration: "\(migration.version)",
                ])
            }
        }
        return applied
    }
}
