/// How an ``S3Client`` reaches S3 and how it sizes and retries requests.
public struct S3Configuration: Sendable {
    /// A custom endpoint such as `http://127.0.0.1:18333`; `nil` means AWS
    /// (`https://s3.<region>.amazonaws.com`).
    public var endpoint: String?
    /// The signing region, e.g. `us-east-1`.
    public var region: String
    public var addressingStyle: S3AddressingStyle
    /// Asked before every attempt (each multipart part too), so refreshed credentials reach
    /// the next request: ``S3StaticCredentialsProvider``, or ``S3CredentialsChain`` on AWS.
    public var credentials: any S3CredentialsProvider
    public var retryPolicy: S3RetryPolicy
    /// Streamed uploads that reach this many bytes use multipart upload; must be ≥ `partSize`.
    public var multipartThreshold: Int
    /// Multipart part size: 5 MiB to 5 GiB. A streamed upload holds about two parts in memory.
    public var partSize: Int
    /// `CURLOPT_CONNECTTIMEOUT_MS` of every request.
    public var connectTimeout: Duration
    /// A transfer slower than `lowSpeedLimit` bytes/s for `lowSpeedTime` fails as a timeout
    /// (and is retried).
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// Idle curl handles (with their open connections) kept for reuse.
    public var maxIdleConnections: Int
    /// Transfers sure to start at once on dedicated blocking threads; the executor allows 64
    /// threads beyond them for bursts and the glue of streamed downloads, then transfers wait.
    public var maxConcurrentTransfers: Int

    /// - Parameter addressingStyle: defaults to `.path` with a custom endpoint and
    ///   `.virtualHosted` for AWS.
    public init(
        endpoint: String? = nil,
        region: String,
        addressingStyle: S3AddressingStyle? = nil,
        credentials: any S3CredentialsProvider,
        retryPolicy: S3RetryPolicy = .default,
        partSize: Int = 8 * 1024 * 1024,
        multipartThreshold: Int? = nil,
        connectTimeout: Duration = .seconds(10),
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Duration = .seconds(30),
        maxIdleConnections: Int = 8,
        maxConcurrentTransfers: Int = 16
    ) {
        self.endpoint = endpoint
        self.region = region
        self.addressingStyle = addressingStyle ?? (endpoint == nil ? .virtualHosted : .path)
        self.credentials = credentials
        self.retryPolicy = retryPolicy
        self.partSize = partSize
        self.multipartThreshold = multipartThreshold ?? partSize
        self.connectTimeout = connectTimeout
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.maxIdleConnections = maxIdleConnections
        self.maxConcurrentTransfers = maxConcurrentTransfers
    }

    static let minimumPartSize = 5 * 1024 * 1024
    static let maximumPartSize = 5 * 1024 * 1024 * 1024
    static let maximumParts = 10_000

    func validate() throws(S3Error) {
        func invalid(_ message: String) -> S3Error { S3Error(kind: .invalidRequest, message: message) }
        guard !region.isEmpty else { throw invalid("the region is empty") }
        guard (Self.minimumPartSize...Self.maximumPartSize).contains(partSize) else {
            throw invalid("partSize \(partSize) is outside 5 MiB...5 GiB")
        }
        guard multipartThreshold >= partSize else {
            throw invalid("multipartThreshold \(multipartThreshold) is below partSize \(partSize)")
        }
    }
}
