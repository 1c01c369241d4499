import Configuration
import Foundation
import Testing

/// The real servers the integration tests use, from the environment: `DB_URL`, `S3_ENDPOINT`,
/// `S3_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`. A missing variable fails the test.
struct TestServers {
    var databaseURL: String
    var s3Endpoint: String
    var s3Region: String
    var accessKeyID: String
    var secretAccessKey: String

    init() throws {
        let environment = ProcessInfo.processInfo.environment
        func required(_ name: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                Issue.record("\(name) is not set: run the tests with scripts/test.sh (or export DB_URL, S3_ENDPOINT, S3_REGION and source .local/s3/credentials.env)")
                throw TestSetupError("\(name) is not set")
            }
            return value
        }
        databaseURL = try required("DB_URL")
        s3Endpoint = try required("S3_ENDPOINT")
        s3Region = environment["S3_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-east-1"
        accessKeyID = try required("AWS_ACCESS_KEY_ID")
        secretAccessKey = try required("AWS_SECRET_ACCESS_KEY")
    }

    /// A configuration reader with these servers, `schema`, `bucket` and `extra` keys.
    func reader(schema: String, bucket: String, _ extra: [String: String]) -> ConfigReader {
        var values = [
            "db.url": databaseURL, "db.schema": schema, "db.pool.size": "2",
            "s3.endpoint": s3Endpoint, "s3.region": s3Region, "s3.bucket": bucket,
            "aws.access.key.id": accessKeyID, "aws.secret.access.key": secretAccessKey,
            "ledger.heartbeat.seconds": "1", "ops.port": "0",
        ]
        values.merge(extra) { _, new in new }
        return ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
            (AbsoluteConfigKey(ConfigKey($0.key)), ConfigValue(.string($0.value), isSecret: false))
        })))
    }

    /// A short random lower-case hex suffix for schema and bucket names.
    static func suffix() -> String {
        String(UInt32.random(in: .min ... .max), radix: 16)
    }
}

/// A test environment problem (missing variable, server down, timeout), reported as a failure.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
