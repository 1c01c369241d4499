/// Credentials of the EC2 instance profile through IMDSv2: `PUT /latest/api/token` with
/// `X-aws-ec2-metadata-token-ttl-seconds`, then, with `X-aws-ec2-metadata-token`,
/// `GET /latest/meta-data/iam/security-credentials/` (the role name) and
/// `GET /latest/meta-data/iam/security-credentials/<role>` (JSON with `Expiration`).
///
/// IMDSv1 (no token) is never used. The endpoint is `http://169.254.169.254` unless
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` says otherwise; `AWS_EC2_METADATA_DISABLED=true`
/// turns the provider off. Timeouts are short (1 s per request by default), so a machine
/// outside EC2 fails fast. Containers need the instance's `HttpPutResponseHopLimit` at 2.
public struct S3InstanceMetadataCredentialsProvider: S3CredentialsProvider, CustomStringConvertible {
    public static let endpointVariable = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
    public static let disabledVariable = "AWS_EC2_METADATA_DISABLED"
    public static let defaultEndpoint = "http://169.254.169.254"
    static let tokenPath = "/latest/api/token"
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    private let endpoint: String
    private let isDisabled: Bool
    private let timeout: Duration
    private let tokenTTLSeconds: Int

    /// - Parameters:
    ///   - environment: variable names to values (the two variables above).
    ///   - timeout: connect and total timeout of each of the three requests.
    ///   - tokenTTLSeconds: the session token's lifetime asked for (1...21600).
    public init(environment: [String: String], timeout: Duration = .seconds(1), tokenTTLSeconds: Int = 21_600) {
        let endpoint = environment[Self.endpointVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultEndpoint
        self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
        self.isDisabled = environment[Self.disabledVariable]?.lowercased() == "true"
        self.timeout = timeout
        self.tokenTTLSeconds = min(max(tokenTTLSeconds, 1), 21_600)
    }

    public var sourceName: String { "IMDSv2" }

    public func credentials() async throws -> S3Credentials {
        guard !isDisabled else {
            throw S3Error(kind: .credentials, message: "\(sourceName): disabled by \(Self.disabledVariable)=true")
        }
        let tokenURL = endpoint + Self.tokenPath
        let tokenResponse = try await S3MetadataHTTP.exchange(
            tokenURL, method: .put, headers: ["X-aws-ec2-metadata-token-ttl-seconds: \(tokenTTLSeconds)"],
            timeout: timeout, source: sourceName)
        guard tokenResponse.status == 200 else {
            throw S3MetadataHTTP.statusError(tokenResponse, .put, tokenURL, source: sourceName)
        }
        let token = tokenResponse.text.trimmingWhitespace()
        guard !token.isEmpty, !token.contains("\n"), !token.contains("\r") else {
            throw S3Error(kind: .credentials, message: "\(sourceName): PUT \(tokenURL) answered no usable token")
        }
        let headers = ["X-aws-ec2-metadata-token: \(token)"]

        let rolesURL = endpoint + Self.credentialsPath
        let rolesResponse = try await S3MetadataHTTP.exchange(rolesURL, headers: headers, timeout: timeout, source: sourceName)
        guard rolesResponse.status == 200 else {
            let reason = rolesResponse.status == 404 ? " (no instance profile attached)" : ""
            var error = S3MetadataHTTP.statusError(rolesResponse, .get, rolesURL, source: sourceName)
            error.message = (error.message ?? "") + reason
            throw error
        }
        guard let role = rolesResponse.text.split(whereSeparator: \.isNewline).map({ String($0).trimmingWhitespace() }).first(where: { !$0.isEmpty })
        else {
            throw S3Error(kind: .credentials, message: "\(sourceName): GET \(rolesURL) listed no role")
        }

        let roleURL = rolesURL + S3PercentEncoding.encode(role)
        let response = try await S3MetadataHTTP.exchange(roleURL, headers: headers, timeout: timeout, source: sourceName)
        guard response.status == 200 else { throw S3MetadataHTTP.statusError(response, .get, roleURL, source: sourceName) }
        return try S3CredentialsDocument.credentials(from: response.body, source: sourceName)
    }

    public var description: String {
        "S3InstanceMetadataCredentialsProvider(\(isDisabled ? "disabled" : endpoint))"
    }
}
