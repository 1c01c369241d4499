import AdrecsDatabase
import AdrecsDomain
import AdrecsStorage
import IngestService
import LibPQ
import Logging
import S3Store
import Zstd

/// One test's own bucket and schema, migrated, with a ledger on it.
struct IngestFixture {
    let environment: TestEnvironment
    let bucket: String
    let schema: String
    let database: DatabaseConfig
    let pool: PGPool
    let ledger: RunLedger
    let storage: StorageConfig
    let client: S3Client
    let logger = Logger(label: "adrecs.test.ingest")

    static func make(_ prefix: String) async throws -> IngestFixture {
        let environment = try TestEnvironment.load()
        let bucket = TestEnvironment.uniqueName("ingest-\(prefix)-")
        let schema = TestEnvironment.uniqueName("ingest_\(prefix)_")
        let database = DatabaseConfig(url: environment.databaseURL, schema: schema, poolSize: 4)
        let pool = database.makePool(applicationName: "adrecs-ingest-test")
        let logger = Logger(label: "adrecs.test.ingest")
        try await Migrator.migrate(pool: pool, schema: schema, logger: logger)
        let storage = environment.storage(bucket: bucket)
        let client = try storage.makeClient()
        try await client.createBucket(bucket)
        return IngestFixture(
            environment: environment, bucket: bucket, schema: schema, database: database, pool: pool,
            ledger: RunLedger(pool: pool, staleAfter: .seconds(30), logger: logger), storage: storage, client: client)
    }

    /// Runs `body` with a fresh fixture, then drops its schema and bucket.
    static func with<T>(_ prefix: String, _ body: (IngestFixture) async throws -> T) async throws -> T {
        let fixture = try await make(prefix)
        do {
            let value = try await body(fixture)
            await fixture.cleanUp()
            return value
        } catch {
            await fixture.cleanUp()
            throw error
        }
    }

    func cleanUp() async {
        _ = try? await pool.execute("DROP SCHEMA IF EXISTS \(schema) CASCADE")
        await pool.close()
        if let objects = try? await client.listObjects(bucket: bucket).collect() {
            for object in objects { try? await client.deleteObject(bucket: bucket, key: object.key) }
        }
        try? await client.deleteBucket(bucket)
    }

    /// Uploads raw inputs to the course layout: `inputs[name]` at `raw/<name>` (or `raw/<name>.csv`).
    func uploadRaw(_ inputs: [RawInput: [UInt8]], withExtension: Set<RawInput> = []) async throws {
        for (input, bytes) in inputs {
            let key = "raw/\(input.name)\(withExtension.contains(input) ? ".csv" : "")"
            try await client.putObject(bucket: bucket, key: key, bytes: bytes)
        }
    }

    func text(_ key: String) async throws -> String {
        String(decoding: try await client.getObject(bucket: bucket, key: key), as: UTF8.self)
    }

    /// The text of a `.csv.zst` object (a filtered log).
    func decompressedText(_ key: String) async throws -> String {
        String(decoding: try ZstdDecoder.decompress(try await client.getObject(bucket: bucket, key: key)), as: UTF8.self)
    }

    /// The ingest job on this bucket with the course layout.
    var job: IngestJob { IngestJob(store: client, bucket: bucket, layout: RawInputLayout()) }
}
