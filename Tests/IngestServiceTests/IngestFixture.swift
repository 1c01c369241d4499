import AdrecsDatabase
import AdrecsDomain
import AdrecsStorage
import AdrecsTestSupport
import IngestService
import LibPQ
import Logging
import S3Store
import StageTestSupport
import Zstd

/// One test's own bucket and schema (a ``StageSandbox``), migrated, with a ledger on it and the
/// ingest configuration for them.
struct IngestFixture {
    let servers: TestServers
    let sandbox: StageSandbox
    let config: IngestConfig
    let logger = Logger(label: "adrecs.test.ingest")

    var bucket: String { sandbox.bucket }
    var schema: String { sandbox.schema }
    var pool: PGPool { sandbox.pool }
    var ledger: RunLedger { sandbox.ledger }
    var client: S3Client { sandbox.client }
    var database: DatabaseConfig { config.database }
    var storage: StorageConfig { config.storage }

    static func make(_ prefix: String) async throws -> IngestFixture {
        let (sandbox, config) = try await StageSandbox.create(
            "ingest", extra: ["db.pool.size": "4"], logger: Logger(label: "adrecs.test.ingest"),
            config: IngestConfig.init(config:), database: \.database, storage: \.storage)
        return IngestFixture(servers: try TestServers(), sandbox: sandbox, config: config)
    }

    /// Runs `body` with a fresh fixture, then drops its schema and bucket.
    static func with<T>(_ prefix: String, _ body: (IngestFixture) async throws -> T) async throws -> T {
        let fixture = try await make(prefix)
        return try await TestScope.run { try await body(fixture) } cleanUp: { await fixture.cleanUp() }
    }

    func cleanUp() async {
        await sandbox.destroy()
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
