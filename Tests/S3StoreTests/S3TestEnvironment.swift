import AdrecsTestSupport
import S3Store
import Testing

/// The S3 server under test, from `S3_ENDPOINT`, `S3_REGION`, `AWS_ACCESS_KEY_ID` and
/// `AWS_SECRET_ACCESS_KEY`. A missing variable fails the test with a clear message.
struct S3TestEnvironment {
    static let hint = "start the server with scripts/s3.sh start, source .local/s3/credentials.env and export S3_ENDPOINT/S3_REGION"

    let endpoint: String
    let region: String
    let accessKeyID: String
    let secretAccessKey: String

    static func load() throws -> S3TestEnvironment {
        func value(_ name: String) throws -> String { try TestEnvironment.require(name, hint: hint) }
        return S3TestEnvironment(
            endpoint: try value("S3_ENDPOINT"), region: try value("S3_REGION"),
            accessKeyID: try value("AWS_ACCESS_KEY_ID"), secretAccessKey: try value("AWS_SECRET_ACCESS_KEY"))
    }

    /// A client with short retries, 5 MiB parts and the given secret (the real one by default),
    /// to the server or to `endpoint` (a proxy in front of it).
    func client(
        secret: String? = nil, retry: S3RetryPolicy = S3RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20)),
        endpoint: String? = nil
    ) throws -> S3Client {
        try S3Client(
            configuration: S3Configuration(
                endpoint: endpoint ?? self.endpoint, region: region,
                credentials: S3StaticCredentialsProvider(accessKeyID: accessKeyID, secretAccessKey: secret ?? secretAccessKey),
                retryPolicy: retry, partSize: 5 * 1024 * 1024))
    }

    static func randomBucketName(_ prefix: String) -> String {
        "\(prefix)-\(String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 36))"
    }
}

