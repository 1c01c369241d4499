import AdrecsTestSupport
import Configuration

/// Configuration readers for tests: in-memory values under dotted keys, never the environment.
enum TestConfig {
    static func reader(_ values: [String: String]) -> ConfigReader {
        .inMemory(values)
    }

    /// What a pipeline service needs to start: the test servers (from the environment that
    /// scripts/test.sh sets), a schema, a bucket name and messaging ports of its own, plus `values`.
    static func pipeline(_ values: [String: String]) throws -> ConfigReader {
        var all = [
            "db.url": try TestEnvironment.require("DB_URL"),
            "db.schema": TestEnvironment.uniqueName("svc"),
            "s3.endpoint": try TestEnvironment.require("S3_ENDPOINT"),
            "s3.region": try TestEnvironment.require("S3_REGION"),
            "s3.bucket": "adrecs",
            "aws.access.key.id": try TestEnvironment.require("AWS_ACCESS_KEY_ID"),
            "aws.secret.access.key": try TestEnvironment.require("AWS_SECRET_ACCESS_KEY"),
            "messaging.models.endpoint": "tcp://127.0.0.1:\(try FreePort.next())",
            "messaging.writer.endpoint": "tcp://127.0.0.1:\(try FreePort.next())",
        ]
        all.merge(values) { $1 }
        return reader(all)
    }
}
