public import AdrecsDatabase
public import AdrecsStorage
public import AdrecsTestSupport
public import Configuration
public import LibPQ
public import Logging
public import S3Store

/// One stage test's own PostgreSQL schema (migrated) and S3 bucket on the servers of the
/// environment (``TestServers``), with a pool, a ledger and a client on them.
public struct StageSandbox: Sendable {
    public let schema: String
    public let bucket: String
    public let pool: PGPool
    public let ledger: RunLedger
    public let client: S3Client

    /// Creates schema `<stage>_test_<suffix>` and bucket `adrecs-<stage>-test-<suffix>`, and the
    /// service's configuration for them: `makeConfig` reads the servers, the two names and `extra`.
    public static func create<Config>(
        _ stage: String, extra: [String: String] = [:], logger: Logger,
        config makeConfig: (ConfigReader) throws -> Config,
        database: (Config) -> DatabaseConfig, storage: (Config) -> StorageConfig
    ) async throws -> (StageSandbox, Config) {
        let servers = try TestServers()
        let suffix = TestEnvironment.suffix()
        let schema = "\(stage)_test_\(suffix)"
        let bucket = "adrecs-\(stage)-test-\(suffix)"
        let config = try makeConfig(servers.reader(schema: schema, bucket: bucket, extra))
        let pool = database(config).makePool(applicationName: "adrecs-\(stage)-test")
        do {
            try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
        } catch {
            await pool.close()
            throw TestSetupError("PostgreSQL at DB_URL is not usable: \(error)")
        }
        let client = try storage(config).makeClient()
        try await client.createBucket(bucket)
        let sandbox = StageSandbox(
            schema: schema, bucket: bucket, pool: pool, ledger: RunLedger(pool: pool, logger: logger), client: client)
        return (sandbox, config)
    }

    /// Empties and deletes the bucket, drops the schema and closes the pool.
    public func destroy() async {
        for object in (try? await client.listObjects(bucket: bucket).collect()) ?? [] {
            try? await client.deleteObject(bucket: bucket, key: object.key)
        }
        try? await client.deleteBucket(bucket)
        _ = try? await pool.execute("DROP SCHEMA \(schema) CASCADE")
        await pool.close()
    }
}

extension TestServers {
    /// The storage configuration of `bucket` on these servers, with the real secret unless
    /// `secret` is given.
    public func storage(bucket: String, secret: String? = nil) -> StorageConfig {
        StorageConfig(
            endpoint: s3Endpoint, region: s3Region, bucket: bucket,
            credentials: S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secret ?? secretAccessKey))
    }
}
