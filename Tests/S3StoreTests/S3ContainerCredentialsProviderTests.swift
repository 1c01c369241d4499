import Foundation
import S3Store
import Testing

/// The container credentials provider against a local server speaking the ECS/EKS protocol.
@Suite("Container credentials provider", .timeLimit(.minutes(1)))
struct S3ContainerCredentialsProviderTests {
    @Test func relativeURIIsResolvedAgainstTheHostBase() async throws {
        let server = try FakeCredentialsServer(.container(path: "/v2/credentials/task-1"), prefix: "container")
        defer { server.stop() }
        let provider = S3ContainerCredentialsProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task-1"], relativeBase: server.base)
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "CONTAINERKEY1")
        #expect(credentials.secretAccessKey == "container-secret-1")
        #expect(credentials.sessionToken == "container-token-1")
        #expect(credentials.expiration == FakeCredentialsServer.defaultExpiration)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/v2/credentials/task-1")
        #expect(request.headers["authorization"] == nil)
    }

    @Test func fullURISendsTheAuthorizationToken() async throws {
        let server = try FakeCredentialsServer(.container(path: "/creds"), prefix: "pod")
        defer { server.stop() }
        let provider = S3ContainerCredentialsProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Basic c2VjcmV0LXRva2Vu",
        ])
        #expect(try await provider.credentials().accessKeyID == "PODKEY1")
        #expect(server.requests.first?.headers["authorization"] == "Basic c2VjcmV0LXRva2Vu")
        #expect(!provider.description.contains("c2VjcmV0LXRva2Vu"))
    }

    @Test func theTokenFileWinsAndIsReadAgainOnEveryFetch() async throws {
        let server = try FakeCredentialsServer(.container(path: "/creds"), prefix: "pod")
        defer { server.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("adrecs-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("first-token\n".utf8).write(to: file)
        let provider = S3ContainerCredentialsProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file.path,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "variable-token",
        ])
        _ = try await provider.credentials()
        try Data("second-token".utf8).write(to: file)  // the agent rotated the token
        #expect(try await provider.credentials().accessKeyID == "PODKEY2")
        #expect(server.requests.map { $0.headers["authorization"] } == ["first-token", "second-token"])
    }

    @Test func aMissingTokenFileIsAClearError() async throws {
        let provider = S3ContainerCredentialsProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/adrecs/token",
        ])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.kind == .credentials)
        #expect(error.description.contains("cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE /nonexistent/adrecs/token"))
    }

    @Test(arguments: [
        ("not json at all", "not a JSON object"),
        (#"{"SecretAccessKey": "container-leaked-secret", "Token": "t"}"#, "no AccessKeyId"),
        (#"{"AccessKeyId": "K", "SecretAccessKey": "container-leaked-secret", "Expiration": "tomorrow"}"#, "Expiration 'tomorrow' is not an ISO 8601 time"),
    ])
    func anUnusableDocumentIsAClearError(body: String, reason: String) async throws {
        let server = try FakeCredentialsServer(.container(path: "/creds"), prefix: "bad")
        defer { server.stop() }
        server.update { $0.body = body }
        let provider = S3ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/creds"])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.kind == .credentials)
        #expect(error.description.contains("container endpoint answered an unusable credentials document: \(reason)"))
        #expect(!error.description.contains("container-leaked-secret"))
    }

    @Test func anErrorStatusNamesTheStatusAndAddress() async throws {
        let server = try FakeCredentialsServer(.container(path: "/creds"), prefix: "down")
        defer { server.stop() }
        server.update { $0.failing = true }
        let provider = S3ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.base + "/creds"])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.httpStatus == 500)
        #expect(error.description.contains("GET \(server.base)/creds answered HTTP 500"))
    }

    @Test(arguments: [
        ("http://127.0.0.1:1/creds", true), ("http://localhost/creds", true), ("http://[::1]:80/c", true),
        ("http://169.254.170.2/v1", true), ("http://169.254.170.23/v1/credentials", true), ("https://creds.example.com/x", true),
        ("http://creds.example.com/x", false), ("http://10.0.0.1/creds", false), ("ftp://127.0.0.1/creds", false), ("not a url", false),
    ])
    func fullURIsMustBeHTTPSOrLocal(uri: String, allowed: Bool) async throws {
        let provider = S3ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri], timeout: .milliseconds(300))
        let error = await #expect(throws: S3Error.self) { try await provider.credentials() }
        // Allowed addresses are tried (and fail to connect here); others are refused unsent.
        #expect(error?.description.contains("must be https, or http to a loopback or ECS/EKS address") == !allowed)
    }

    @Test func notConfiguredNamesBothVariables() async throws {
        let provider = S3ContainerCredentialsProvider(environment: [:])
        #expect(!provider.isConfigured)
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.description.contains("neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"))
    }
}
