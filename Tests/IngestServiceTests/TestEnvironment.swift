import AdrecsDatabase
import AdrecsStorage
import AdrecsTestSupport
import S3Store

/// The servers under test: PostgreSQL at `DB_URL`, S3 at `S3_ENDPOINT`/`S3_REGION` with
/// `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`. A missing variable fails the test.
struct TestEnvironment {
    static let hint =
        "run scripts/test.sh, or start PostgreSQL and SeaweedFS and export DB_URL, S3_ENDPOINT, S3_REGION and source .local/s3/credentials.env"

    let databaseURL: String
    let endpoint: String
    let region: String
    let accessKeyID: String
    let secretAccessKey: String

    static func load() throws -> TestEnvironment {
        func value(_ name: String) throws -> String { try AdrecsTestSupport.TestEnvironment.require(name, hint: hint) }
        return TestEnvironment(
            databaseURL: try value("DB_URL"), endpoint: try value("S3_ENDPOINT"), region: try value("S3_REGION"),
            accessKeyID: try value("AWS_ACCESS_KEY_ID"), secretAccessKey: try value("AWS_SECRET_ACCESS_KEY"))
    }

    /// The storage configuration of `bucket`, with the real secret unless `secret` is given.
    func storage(bucket: String, secret: String? = nil) -> StorageConfig {
        StorageConfig(
            endpoint: endpoint, region: region, bucket: bucket,
            credentials: S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secret ?? secretAccessKey))
    }

    /// A unique lower-case name, for a bucket or a schema.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)\(String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 36))"
    }
}
