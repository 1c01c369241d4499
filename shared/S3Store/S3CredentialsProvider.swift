/// Supplies the credentials to sign the next request with. Called before every attempt,
/// so an implementation may refresh expiring credentials (environment, container, IMDS).
public protocol S3CredentialsProvider: Sendable {
    func credentials() async throws -> S3Credentials
    /// Names the source in a ``S3CredentialsChain`` error, e.g. `environment`.
    var sourceName: String { get }
}

extension S3CredentialsProvider {
    public var sourceName: String { "\(Self.self)" }
}
