public import AdrecsRuntime
public import Configuration
public import S3Store

/// Where the pipeline's objects live and how to reach them.
///
/// Keys (environment name in brackets):
/// - `s3.endpoint` (`S3_ENDPOINT`): default `http://127.0.0.1:18333`; empty means AWS.
/// - `s3.region` (`S3_REGION`): default `us-east-1`.
/// - `s3.bucket` (`S3_BUCKET`): default `adrecs`.
/// - `s3.addressing` (`S3_ADDRESSING`): `path` or `virtual`; default `path` with an endpoint, else `virtual`.
/// - `aws.access.key.id` (`AWS_ACCESS_KEY_ID`), `aws.secret.access.key` (`AWS_SECRET_ACCESS_KEY`, secret):
///   required.
/// - `aws.session.token` (`AWS_SESSION_TOKEN`, secret): optional.
public struct StorageConfig: Sendable, CustomStringConvertible {
    public static let defaultEndpoint = "http://127.0.0.1:18333"

    /// `nil` means AWS.
    public var endpoint: String?
    public var region: String
    public var bucket: String
    public var addressing: S3AddressingStyle
    public var credentials: S3Credentials

    public init(
        endpoint: String?, region: String, bucket: String, addressing: S3AddressingStyle? = nil, credentials: S3Credentials
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.addressing = addressing ?? (endpoint == nil ? .virtualHosted : .path)
        self.credentials = credentials
    }

    public init(config: ConfigReader) throws(ConfigError) {
        let endpoint = config.string(forKey: "s3.endpoint", default: Self.defaultEndpoint)
        let region = config.string(forKey: "s3.region", default: "us-east-1")
        guard !region.isEmpty else { throw ConfigError(key: "s3.region", message: "empty region") }
        let bucket = config.string(forKey: "s3.bucket", default: "adrecs")
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw ConfigError(key: "s3.bucket", message: "not a bucket name '\(bucket)'")
        }
        var addressing: S3AddressingStyle?
        if let raw = config.string(forKey: "s3.addressing"), !raw.isEmpty {
            switch raw.lowercased() {
            case "path": addressing = .path
            case "virtual", "virtual-hosted", "virtualhosted": addressing = .virtualHosted
            default: throw ConfigError(key: "s3.addressing", message: "expected 'path' or 'virtual', got '\(raw)'")
            }
        }
        guard let keyID = config.string(forKey: "aws.access.key.id"), !keyID.isEmpty else {
            throw ConfigError(key: "aws.access.key.id", message: "missing: S3 access needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        guard let secret = config.string(forKey: "aws.secret.access.key", isSecret: true), !secret.isEmpty else {
            throw ConfigError(key: "aws.secret.access.key", message: "missing: S3 access needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        let token = config.string(forKey: "aws.session.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        self.init(
            endpoint: endpoint.isEmpty ? nil : endpoint, region: region, bucket: bucket, addressing: addressing,
            credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        )
    }

    /// An S3 client for this configuration (retries with the default policy).
    public func makeClient() throws -> S3Client {
        try S3Client(configuration: S3Configuration(
            endpoint: endpoint, region: region, addressingStyle: addressing,
            credentials: S3StaticCredentialsProvider(credentials)
        ))
    }

    /// Never shows the secret.
    public var description: String {
        "StorageConfig(endpoint: \(endpoint ?? "AWS"), region: \(region), bucket: \(bucket), addressing: \(addressing), credentials: \(credentials))"
    }
}
