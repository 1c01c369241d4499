#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// AWS credentials for signing. Their descriptions and mirror never show the secret or token.
public struct S3Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// The session token of temporary credentials, sent as `x-amz-security-token`; `nil` or
    /// empty means none.
    public var sessionToken: String?
    /// When temporary credentials stop working; `nil` for long-term keys.
    public var expiration: Date?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    public var description: String {
        var text = "S3Credentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(sessionToken.map { $0.isEmpty ? "none" : "<redacted>" } ?? "none")"
        if let expiration { text += ", expiration: \(expiration.formatted(.iso8601))" }
        return text + ")"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "<redacted>", "expiration": expiration as Any])
    }
}

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
