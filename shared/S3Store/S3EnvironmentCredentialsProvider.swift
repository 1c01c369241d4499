/// Long-term or session keys from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and (optional)
/// `AWS_SESSION_TOKEN`, read from the environment dictionary it is given, so callers (and
/// tests) choose where the values come from. Fails when either key is missing or empty.
public struct S3EnvironmentCredentialsProvider: S3CredentialsProvider, CustomStringConvertible {
    public static let accessKeyIDVariable = "AWS_ACCESS_KEY_ID"
    public static let secretAccessKeyVariable = "AWS_SECRET_ACCESS_KEY"
    public static let sessionTokenVariable = "AWS_SESSION_TOKEN"

    private let value: S3Credentials?

    /// - Parameter environment: variable names to values, e.g. the process environment.
    public init(environment: [String: String]) {
        let keyID = environment[Self.accessKeyIDVariable] ?? ""
        let secret = environment[Self.secretAccessKeyVariable] ?? ""
        let token = environment[Self.sessionTokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        value = keyID.isEmpty || secret.isEmpty
            ? nil : S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token)
    }

    public func credentials() async throws -> S3Credentials {
        guard let value else {
            throw S3Error(
                kind: .credentials,
                message: "\(Self.accessKeyIDVariable) and \(Self.secretAccessKeyVariable) are not both set")
        }
        return value
    }

    public var sourceName: String { "environment" }

    public var description: String {
        "S3EnvironmentCredentialsProvider(\(value.map { "\($0)" } ?? "not configured"))"
    }
}
