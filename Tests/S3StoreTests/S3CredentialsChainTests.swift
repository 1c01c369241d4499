import Foundation
import S3Store
import Testing

/// The standard chain's order, caching, refresh before expiry, single-flight fetch and its
/// error, against local servers speaking the container and IMDSv2 protocols.
@Suite("Credentials chain", .timeLimit(.minutes(2)))
struct S3CredentialsChainTests {
    /// The fake servers' `Expiration`, and a wall clock an hour before it.
    static let expiration = FakeCredentialsServer.defaultExpiration
    static func clock() -> TestClock { TestClock(expiration.addingTimeInterval(-3600)) }

    @Test func environmentKeysWinOverTheOtherSources() async throws {
        let container = try FakeCredentialsServer(.container(path: "/creds"), prefix: "container")
        let imds = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { container.stop(); imds.stop() }
        let chain = S3CredentialsChain.standard(environment: [
            "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.base + "/creds",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.base,
        ])
        #expect(try await chain.credentials() == S3Credentials(accessKeyID: "ENVKEY", secretAccessKey: "env-secret", sessionToken: "env-token"))
        #expect(try await chain.credentials().accessKeyID == "ENVKEY")
        #expect(container.requests.isEmpty)
        #expect(imds.requests.isEmpty)
    }

    @Test func withoutKeysTheContainerEndpointComesBeforeIMDS() async throws {
        let container = try FakeCredentialsServer(.container(path: "/creds"), prefix: "container")
        let imds = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { container.stop(); imds.stop() }
        let chain = S3CredentialsChain.standard(environment: [
            "AWS_ACCESS_KEY_ID": "ONLYKEY",  // without a secret: not usable
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.base + "/creds",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.base,
        ])
        #expect(try await chain.credentials().accessKeyID == "CONTAINERKEY1")
        #expect(container.served == 1)
        #expect(imds.requests.isEmpty)
    }

    @Test func aFailingContainerEndpointFallsThroughToIMDS() async throws {
        let container = try FakeCredentialsServer(.container(path: "/creds"), prefix: "container")
        let imds = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { container.stop(); imds.stop() }
        container.update { $0.failing = true }
        let chain = S3CredentialsChain.standard(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": container.base + "/creds", "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.base,
        ])
        #expect(try await chain.credentials().accessKeyID == "IMDSKEY1")
        #expect(container.requests.count == 1)
        #expect(imds.served == 1)
    }

    @Test func cachedWhileFreshRefreshedInsideTheWindow() async throws {
        let imds = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { imds.stop() }
        let clock = Self.clock()
        let chain = S3CredentialsChain.standard(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.base], refreshWindow: .seconds(300), now: clock.function)

        #expect(try await chain.credentials().accessKeyID == "IMDSKEY1")
        clock.set(Self.expiration.addingTimeInterval(-301))  // still more than the window left
        #expect(try await chain.credentials().accessKeyID == "IMDSKEY1")
        #expect(imds.served == 1)
        #expect(imds.requests.count == 3)

        clock.set(Self.expiration.addingTimeInterval(-299))  // inside the window: refresh
        let refreshed = try await chain.credentials()
        #expect(refreshed.accessKeyID == "IMDSKEY2")
        #expect(refreshed.sessionToken == "imds-token-2")
        #expect(imds.served == 2)
    }

    @Test func aFailedRefreshKeepsValidCredentialsUntilTheyExpire() async throws {
        let container = try FakeCredentialsServer(.container(path: "/creds"), prefix: "container")
        defer { container.stop() }
        let clock = Self.clock()
        let chain = S3CredentialsChain(
            sources: [S3ContainerCredentialsProvider(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.base + "/creds"])],
            refreshWindow: .seconds(600), now: clock.function)
        #expect(try await chain.credentials().accessKeyID == "CONTAINERKEY1")

        container.update { $0.failing = true }
        clock.set(Self.expiration.addingTimeInterval(-60))
        #expect(try await chain.credentials().accessKeyID == "CONTAINERKEY1")
        #expect(container.requests.count == 2)  // the refresh was tried

        clock.set(Self.expiration.addingTimeInterval(1))
        let error = try await #require(throws: S3Error.self) { try await chain.credentials() }
        #expect(error.description.contains("[container endpoint] GET \(container.base)/creds answered HTTP 500"))

        container.update { $0.failing = false }
        #expect(try await chain.credentials().accessKeyID == "CONTAINERKEY2")
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let imds = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { imds.stop() }
        imds.update { $0.delay = .milliseconds(400) }
        let chain = S3CredentialsChain.standard(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.base])
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<12 { group.addTask { try await chain.credentials().accessKeyID } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(keys == Array(repeating: "IMDSKEY1", count: 12))
        #expect(imds.served == 1)
        #expect(imds.requests.count == 3)
    }

    @Test func noSourceNamesEachSourceAndWhy() async throws {
        let closed = try ScriptedHTTPServer.closedPort()
        let chain = S3CredentialsChain.standard(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(closed)"])
        let error = try await #require(throws: S3Error.self) { try await chain.credentials() }
        #expect(error.kind == .credentials)
        let text = error.description
        #expect(text.contains("no source gave credentials (environment, container endpoint, IMDSv2)"))
        #expect(text.contains("[environment] AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set"))
        #expect(text.contains("[container endpoint] neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set"))
        #expect(text.contains("[IMDSv2] PUT http://127.0.0.1:\(closed)/latest/api/token failed (Couldn't connect to server"))
    }

    @Test func descriptionsNeverShowSecrets() async throws {
        let chain = S3CredentialsChain.standard(environment: [
            "AWS_ACCESS_KEY_ID": "ENVKEY", "AWS_SECRET_ACCESS_KEY": "env-s3cret", "AWS_SESSION_TOKEN": "env-t0ken",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:1/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "auth-t0ken",
        ])
        let credentials = try await chain.credentials()
        #expect("\(chain)".contains("ENVKEY"))
        for text in ["\(chain)", "\(credentials)", String(reflecting: credentials), "\(Mirror(reflecting: credentials).children.map(\.value))"] {
            for secret in ["env-s3cret", "env-t0ken", "auth-t0ken"] { #expect(!text.contains(secret), "\(text)") }
        }
    }
}
