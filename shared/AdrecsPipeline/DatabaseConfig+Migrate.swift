public import AdrecsDatabase
public import Logging

extension DatabaseConfig {
    /// Applies the missing migrations to this schema on a pool of its own, closed afterwards;
    /// returns the versions applied now (`[]` when the schema is up to date).
    public func migrate(applicationName: String, logger: Logger) async throws -> [Int] {
        let pool = makePool(applicationName: applicationName)
        do {
            let applied = try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
            await pool.close()
            return applied
        } catch {
            await pool.close()
            throw error
        }
    }
}
