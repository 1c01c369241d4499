public import Configuration

/// The real servers the stage services' integration tests use, from the environment: `DB_URL`,
/// `S3_ENDPOINT`, `S3_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`. A missing variable
/// fails the test.
public struct TestServers: Sendable {
    static let hint = "run the tests with scripts/test.sh (or export DB_URL, S3_ENDPOINT, S3_REGION and source .local/s3/credentials.env)"

    public var databaseURL: String
    public var s3Endpoint: String
    public var s3Region: String
    public var accessKeyID: String
    public var secretAccessKey: String

    public init() throws {
        databaseURL = try TestEnvironment.require("DB_URL", hint: Self.hint)
        s3Endpoint = try TestEnvironment.require("S3_ENDPOINT", hint: Self.hint)
        s3Region = (try? TestEnvironment.require("S3_REGION")) ?? "us-east-1"
        accessKeyID = try TestEnvironment.require("AWS_ACCESS_KEY_ID", hint: Self.hint)
        secretAccessKey = try TestEnvironment.require("AWS_SECRET_ACCESS_KEY", hint: Self.hint)
    }

    /// A configuration reader with these servers, `schema`, `bucket` and `extra` keys.
    public func reader(schema: String, bucket: String, _ extra: [String: String]) -> ConfigReader {
        var values = [
            "db.url": databaseURL, "db.schema": schema, "db.pool.size": "2",
            "s3.endpoint": s3Endpoint, "s3.region": s3Region, "s3.bucket": bucket,
            "aws.access.key.id": accessKeyID, "aws.secret.access.key": secretAccessKey,
            "ledger.heartbeat.seconds": "1", "ops.port": "0",
        ]
        values.merge(extra) { _, new in new }
        return .inMemory(values)
    }
}
