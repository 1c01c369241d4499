import Foundation
import S3Store
import Testing

/// Requests signed with temporary credentials from the chain, as a scripted S3 server sees
/// them: `x-amz-security-token` is sent and listed in `SignedHeaders`, and credentials are
/// taken per request, so a refresh reaches the next request of a long-lived client.
///
/// The real round trip, with SeaweedFS checking the token, is in ``S3SessionTokenRoundTripTests``.
@Suite("Session token signing", .timeLimit(.minutes(1)))
struct S3SessionTokenSigningTests {
    /// `SignedHeaders` and the access key of an `Authorization: AWS4-HMAC-SHA256 …` header.
    static func parse(authorization: String) -> (accessKey: String, signedHeaders: [String]) {
        var accessKey = ""
        var signed: [String] = []
        for part in authorization.split(separator: ",") {
            let field = part.split(separator: " ").last.map(String.init) ?? ""
            if field.hasPrefix("Credential=") { accessKey = String(field.dropFirst(11).prefix { $0 != "/" }) }
            if field.hasPrefix("SignedHeaders=") { signed = field.dropFirst(14).split(separator: ";").map(String.init) }
        }
        return (accessKey, signed)
    }

    @Test func eachRequestIsSignedWithTheChainsCurrentSessionToken() async throws {
        let container = try FakeCredentialsServer(.container(path: "/creds"), prefix: "container")
        let s3 = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.response(200, "OK") }
        defer { container.stop(); s3.stop() }
        let clock = TestClock(FakeCredentialsServer.defaultExpiration.addingTimeInterval(-3600))
        let chain = S3CredentialsChain(
            sources: [S3ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.base + "/creds"])],
            now: clock.function)
        let client = try S3Client(configuration: S3Configuration(
            endpoint: "http://127.0.0.1:\(s3.port)", region: "us-east-1", credentials: chain, retryPolicy: .none))

        try await client.putObject(bucket: "b", key: "first", bytes: Array("1".utf8))
        clock.set(FakeCredentialsServer.defaultExpiration.addingTimeInterval(-60))  // inside the refresh window
        try await client.putObject(bucket: "b", key: "second", bytes: Array("2".utf8))

        let requests = s3.requests
        try #require(requests.count == 2)
        for (request, n) in zip(requests, 1...) {
            #expect(request.headers["x-amz-security-token"] == "container-token-\(n)")
            let (accessKey, signed) = Self.parse(authorization: try #require(request.headers["authorization"]))
            #expect(accessKey == "CONTAINERKEY\(n)")
            #expect(signed.contains("x-amz-security-token"), "SignedHeaders: \(signed)")
            #expect(signed.contains("x-amz-content-sha256"))
            #expect(signed.contains("host"))
            #expect(!request.headers["authorization"]!.contains("container-secret"))
        }
        #expect(container.served == 2)
    }

    @Test func aChainWithoutCredentialsFailsTheRequestNamingItsSources() async throws {
        let s3 = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.response(200, "OK") }
        defer { s3.stop() }
        let chain = S3CredentialsChain.standard(environment: ["AWS_EC2_METADATA_DISABLED": "true"])
        let client = try S3Client(configuration: S3Configuration(
            endpoint: "http://127.0.0.1:\(s3.port)", region: "us-east-1", credentials: chain, retryPolicy: .none))
        let error = try await #require(throws: S3Error.self) {
            try await client.putObject(bucket: "b", key: "k", bytes: [1])
        }
        #expect(error.kind == .credentials)
        #expect(error.operation == .putObject)
        #expect(error.description.contains("s3://b/k failed: no credentials: no source gave credentials (environment, container endpoint, IMDSv2)"))
        #expect(s3.requests.isEmpty)
    }
}
