/// Fixed credentials, for example long-term keys given by the caller.
public struct S3StaticCredentialsProvider: S3CredentialsProvider, CustomStringConvertible {
    private let value: S3Credentials

    public init(_ credentials: S3Credentials) {
        self.value = credentials
    }

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.value = S3Credentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    public func credentials() async throws -> S3Credentials { value }

    public var sourceName: String { "static" }

    public var description: String { "S3StaticCredentialsProvider(\(value))" }
}
