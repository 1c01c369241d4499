import AdrecsConcurrency

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Credentials from the container credentials endpoint (ECS task role, EKS Pod Identity):
/// `GET http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, else
/// `GET $AWS_CONTAINER_CREDENTIALS_FULL_URI` with an `Authorization` header taken from the
/// file `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch, it wins) or from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`. The answer is JSON with `AccessKeyId`,
/// `SecretAccessKey`, `Token` and `Expiration`.
///
/// A full URI must be HTTPS, or HTTP to a loopback address or to the ECS/EKS endpoints
/// (169.254.170.2, 169.254.170.23, fd00:ec2::23), as in the AWS SDKs. Each fetch is one
/// request; caching and refresh belong to ``S3CredentialsChain``.
public struct S3ContainerCredentialsProvider: S3CredentialsProvider, CustomStringConvertible {
    public static let relativeURIVariable = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
    public static let fullURIVariable = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
    public static let tokenFileVariable = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
    public static let tokenVariable = "AWS_CONTAINER_AUTHORIZATION_TOKEN"
    /// The ECS endpoint that relative URIs are resolved against.
    public static let defaultRelativeBase = "http://169.254.170.2"

    private let relativeURI: String?
    private let fullURI: String?
    private let tokenFile: String?
    private let token: String?
    private let relativeBase: String
    private let timeout: Duration

    /// - Parameters:
    ///   - environment: variable names to values (the four variables above).
    ///   - relativeBase: where relative URIs point; tests pass a local server.
    ///   - timeout: connect and total timeout of the request.
    public init(
        environment: [String: String], relativeBase: String = Self.defaultRelativeBase, timeout: Duration = .seconds(5)
    ) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        relativeURI = value(Self.relativeURIVariable)
        fullURI = value(Self.fullURIVariable)
        tokenFile = value(Self.tokenFileVariable)
        token = value(Self.tokenVariable)
        self.relativeBase = relativeBase
        self.timeout = timeout
    }

    /// Whether a relative or full URI is set.
    public var isConfigured: Bool { relativeURI != nil || fullURI != nil }

    public var sourceName: String { "container endpoint" }

    public func credentials() async throws -> S3Credentials {
        let url = try endpointURL()
        var headers: [String] = []
        if let authorization = try await authorization() { headers.append("Authorization: \(authorization)") }
        let response = try await S3MetadataHTTP.exchange(url, headers: headers, timeout: timeout, source: sourceName)
        guard response.status == 200 else { throw S3MetadataHTTP.statusError(response, .get, url, source: sourceName) }
        return try S3CredentialsDocument.credentials(from: response.body, source: sourceName)
    }

    private func endpointURL() throws(S3Error) -> String {
        if let relativeURI {
            return relativeBase + (relativeURI.hasPrefix("/") ? "" : "/") + relativeURI
        }
        guard let fullURI else {
            throw S3Error(
                kind: .credentials,
                message: "\(sourceName): neither \(Self.relativeURIVariable) nor \(Self.fullURIVariable) is set")
        }
        guard Self.isAllowed(fullURI: fullURI) else {
            throw S3Error(
                kind: .credentials,
                message: "\(sourceName): \(Self.fullURIVariable) must be https, or http to a loopback or ECS/EKS address: \(fullURI)")
        }
        return fullURI
    }

    /// The `Authorization` value: the token file's content (trimmed), else the token variable.
    private func authorization() async throws -> String? {
        var value = token
        if let tokenFile {
            let path = tokenFile
            let source = sourceName
            value = try await Self.readToken(path: path, source: source)
        }
        guard let value else { return nil }
        guard !value.contains("\r"), !value.contains("\n") else {
            throw S3Error(kind: .credentials, message: "\(sourceName): the authorization token contains a line break")
        }
        return value
    }

    private static func readToken(path: String, source: String) async throws -> String {
        let bytes: Data
        do {
            bytes = try await BlockingExecutor.shared.run { try Data(contentsOf: URL(fileURLWithPath: path)) }
        } catch {
            throw S3Error(kind: .credentials, message: "\(source): cannot read \(tokenFileVariable) \(path)")
        }
        let trimmed = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw S3Error(kind: .credentials, message: "\(source): \(tokenFileVariable) \(path) is empty")
        }
        return trimmed
    }

    static func isAllowed(fullURI: String) -> Bool {
        guard let url = URL(string: fullURI), let scheme = url.scheme?.lowercased(), var host = url.host?.lowercased() else {
            return false
        }
        if scheme == "https" { return true }
        guard scheme == "http" else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(host) { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    public var description: String {
        let endpoint =
            if let relativeURI { "relative URI \(relativeURI)" } else if let fullURI { "full URI \(fullURI)" } else { "not configured" }
        let authorization = tokenFile.map { "token file \($0)" } ?? (token == nil ? "no token" : "token <redacted>")
        return "S3ContainerCredentialsProvider(\(endpoint), \(authorization))"
    }
}
