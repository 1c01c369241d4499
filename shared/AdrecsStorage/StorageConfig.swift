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
/// - `s3.retry.budget.seconds` (`S3_RETRY_BUDGET_SECONDS`): how long a request (each multipart part
///   on its own) retries transient failures (5xx, `SlowDown`, resets, timeouts), with exponential
///   backoff and full jitter, 0...3600; default 60.
/// - `aws.access.key.id` (`AWS_ACCESS_KEY_ID`), `aws.secret.access.key` (`AWS_SECRET_ACCESS_KEY`, secret),
///   `aws.session.token` (`AWS_SESSION_TOKEN`, secret): keys for local servers and scripts. Both keys
///   set: they are used. Neither set: the standard chain (``S3CredentialsChain/standard(environment:refreshWindow:now:)``),
///   i.e. the container credentials endpoint, then EC2 instance metadata (IMDSv2), read from:
/// - `aws.container.credentials.relative.uri` (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, set by ECS),
///   `aws.container.credentials.full.uri` (`AWS_CONTAINER_CREDENTIALS_FULL_URI`),
///   `aws.container.authorization.token.file` (`AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`),
///   `aws.container.authorization.token` (`AWS_CONTAINER_AUTHORIZATION_TOKEN`, secret);
/// - `aws.ec2.metadata.service.endpoint` (`AWS_EC2_METADATA_SERVICE_ENDPOINT`, default
///   `http://169.254.169.254`), `aws.ec2.metadata.disabled` (`AWS_EC2_METADATA_DISABLED`, `true` turns IMDS off).
public struct StorageConfig: Sendable, CustomStringConvertible {
    public static let defaultEndpoint = "http://127.0.0.1:18333"
    public static let defaultRegion = "us-east-1"
    public static let defaultBucket = "adrecs"

    /// `nil` means AWS.
    public var endpoint: String?
    public var region: String
    public var bucket: String
    public var addressing: S3AddressingStyle
    /// Shared by every client ``makeClient()`` makes, so they share one cache of the chain.
    public var credentials: any S3CredentialsProvider
    /// ``S3RetryPolicy/budget`` of the clients ``makeClient()`` makes.
    public var retryBudget: Duration

    public init(
        endpoint: String?, region: String, bucket: String, addressing: S3AddressingStyle? = nil,
        credentials: any S3CredentialsProvider, retryBudget: Duration = S3RetryPolicy.default.budget
    ) {
        self.endpoint = endpoint
        self.region = region
        self.bucket = bucket
        self.addressing = addressing ?? (endpoint == nil ? .virtualHosted : .path)
        self.credentials = credentials
        self.retryBudget = retryBudget
    }

    /// Fixed keys (local servers, tests).
    public init(
        endpoint: String?, region: String, bucket: String, addressing: S3AddressingStyle? = nil, credentials: S3Credentials,
        retryBudget: Duration = S3RetryPolicy.default.budget
    ) {
        self.init(
            endpoint: endpoint, region: region, bucket: bucket, addressing: addressing,
            credentials: S3StaticCredentialsProvider(credentials), retryBudget: retryBudget)
    }

    /// The chain's settings: config key, environment variable, secret.
    static let chainKeys: [(key: String, variable: String, isSecret: Bool)] = [
        ("aws.container.credentials.relative.uri", S3ContainerCredentialsProvider.relativeURIVariable, false),
        ("aws.container.credentials.full.uri", S3ContainerCredentialsProvider.fullURIVariable, false),
        ("aws.container.authorization.token.file", S3ContainerCredentialsProvider.tokenFileVariable, false),
        ("aws.container.authorization.token", S3ContainerCredentialsProvider.tokenVariable, true),
        ("aws.ec2.metadata.service.endpoint", S3InstanceMetadataCredentialsProvider.endpointVariable, false),
        ("aws.ec2.metadata.disabled", S3InstanceMetadataCredentialsProvider.disabledVariable, false),
    ]

    public init(config: ConfigReader) throws(ConfigError) {
        let endpoint = config.string(forKey: "s3.endpoint", default: Self.defaultEndpoint)
        let region = config.string(forKey: "s3.region", default: Self.defaultRegion)
        guard !region.isEmpty else { throw ConfigError(key: "s3.region", message: "empty region") }
        let bucket = config.string(forKey: "s3.bucket", default: Self.defaultBucket)
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
        let rawBudget = config.string(forKey: "s3.retry.budget.seconds", default: "\(S3RetryPolicy.default.budget.components.seconds)")
        guard let budget = Int(rawBudget), (0...3600).contains(budget) else {
            throw ConfigError(key: "s3.retry.budget.seconds", message: "not a number of seconds (0...3600) '\(rawBudget)'")
        }
        self.init(
            endpoint: endpoint.isEmpty ? nil : endpoint, region: region, bucket: bucket, addressing: addressing,
            credentials: try Self.credentialsProvider(config: config), retryBudget: .seconds(budget))
    }

    /// The keys above, for the services' settings catalogs (`--help`, README, start-up log).
    public static let settings: [Setting] = [
        Setting("S3_ENDPOINT", default: defaultEndpoint, "The S3 server; empty = AWS S3."),
        Setting("S3_REGION", default: defaultRegion, "The region requests are signed for."),
        Setting("S3_BUCKET", default: defaultBucket, "The bucket of raw inputs and stage outputs."),
        Setting("S3_ADDRESSING", default: nil, "path or virtual; unset: path with an endpoint, virtual for AWS."),
        Setting("S3_RETRY_BUDGET_SECONDS", default: "\(S3RetryPolicy.default.budget.components.seconds)",
                "How long each request (each multipart part) retries 5xx, SlowDown, resets and timeouts, with exponential backoff and full jitter; 0...3600."),
        Setting("AWS_ACCESS_KEY_ID", default: nil,
                "Static key id (local servers, scripts). Both keys set: used; one without the other fails naming the missing one; neither: the credential chain below."),
        Setting("AWS_SECRET_ACCESS_KEY", default: nil, "The static key's secret.", secrecy: .secret),
        Setting("AWS_SESSION_TOKEN", default: nil, "The static keys' session token, if temporary.", secrecy: .secret),
        Setting(S3ContainerCredentialsProvider.relativeURIVariable, default: nil,
                "Chain step 2: the container credentials endpoint (the ECS task role; ECS sets it)."),
        Setting(S3ContainerCredentialsProvider.fullURIVariable, default: nil, "Chain step 2: a full container credentials URI (EKS Pod Identity)."),
        Setting(S3ContainerCredentialsProvider.tokenFileVariable, default: nil, "Chain step 2: a file holding the endpoint's authorization token."),
        Setting(S3ContainerCredentialsProvider.tokenVariable, default: nil, "Chain step 2: the endpoint's authorization token.", secrecy: .secret),
        Setting(S3InstanceMetadataCredentialsProvider.endpointVariable, default: "http://169.254.169.254",
                "Chain step 3: EC2 instance metadata (IMDSv2, instance profile); credentials are refreshed 5 min before they expire."),
        Setting(S3InstanceMetadataCredentialsProvider.disabledVariable, default: "false", "true turns chain step 3 off."),
    ]

    /// Keys when both are set, else the standard chain; one key without the other is an error.
    static func credentialsProvider(config: ConfigReader) throws(ConfigError) -> any S3CredentialsProvider {
        func value(_ key: String, isSecret: Bool = false) -> String? {
            config.string(forKey: ConfigKey(key), isSecret: isSecret).flatMap { $0.isEmpty ? nil : $0 }
        }
        let keyID = value("aws.access.key.id")
        let secret = value("aws.secret.access.key", isSecret: true)
        let token = value("aws.session.token", isSecret: true)
        switch (keyID, secret) {
        case (let keyID?, let secret?):
            return S3StaticCredentialsProvider(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
        case (nil, nil):
            guard token == nil else {
                throw ConfigError(key: "aws.session.token", message: "set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
            }
            var environment: [String: String] = [:]
            for setting in chainKeys { environment[setting.variable] = value(setting.key, isSecret: setting.isSecret) }
            return S3CredentialsChain.standard(environment: environment)
        case (nil, _?):
            throw ConfigError(key: "aws.access.key.id", message: "missing: AWS_SECRET_ACCESS_KEY is set without it (set both, or neither to use the credential chain)")
        case (_?, nil):
            throw ConfigError(key: "aws.secret.access.key", message: "missing: AWS_ACCESS_KEY_ID is set without it (set both, or neither to use the credential chain)")
        }
    }

    /// An S3 client for this configuration (the default retry policy with ``retryBudget``).
    public func makeClient() throws -> S3Client {
        try S3Client(configuration: S3Configuration(
            endpoint: endpoint, region: region, addressingStyle: addressing,
            credentials: credentials, retryPolicy: S3RetryPolicy(budget: retryBudget)
        ))
    }

    /// Never shows the secret.
    public var description: String {
        "StorageConfig(endpoint: \(endpoint ?? "AWS"), region: \(region), bucket: \(bucket), addressing: \(addressing), credentials: \(credentials))"
    }
}
