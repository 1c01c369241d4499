import Curl
import Foundation
import S3Store
import Testing

/// The IMDSv2 provider against a local server speaking the EC2 instance metadata protocol.
@Suite("IMDSv2 credentials provider", .timeLimit(.minutes(1)))
struct S3InstanceMetadataCredentialsProviderTests {
    @Test func fetchesATokenThenTheRoleThenItsCredentials() async throws {
        let server = try FakeCredentialsServer(.imds(role: "adrecs-airflow"), prefix: "imds")
        defer { server.stop() }
        server.update { $0.expiration = "2030-01-01T00:00:00.000Z" }
        let provider = S3InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base])
        let credentials = try await provider.credentials()
        #expect(credentials == S3Credentials(
            accessKeyID: "IMDSKEY1", secretAccessKey: "imds-secret-1", sessionToken: "imds-token-1",
            expiration: FakeCredentialsServer.defaultExpiration))

        let requests = server.requests
        #expect(requests.map { "\($0.method) \($0.target)" } == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/adrecs-airflow",
        ])
        #expect(requests.first?.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == FakeCredentialsServer.imdsToken })
    }

    @Test func theFakeRejectsAGetWithoutTheToken() throws {
        // The server really enforces IMDSv2, so the test above proves the token is used.
        let server = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { server.stop() }
        let answer = try CurlEasy().exchange(server.base + "/latest/meta-data/iam/security-credentials/", timeout: .seconds(5))
        #expect(answer.status == 401)
    }

    @Test func disabledSendsNothing() async throws {
        let server = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { server.stop() }
        let provider = S3InstanceMetadataCredentialsProvider(environment: [
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base, "AWS_EC2_METADATA_DISABLED": "TRUE",
        ])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.description.contains("disabled by AWS_EC2_METADATA_DISABLED=true"))
        #expect(server.requests.isEmpty)
    }

    @Test func aRefusedTokenStopsBeforeAnyGet() async throws {
        let server = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { server.stop() }
        server.update { $0.failing = true }
        let provider = S3InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base + "/"])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.description.contains("IMDSv2: PUT \(server.base)/latest/api/token answered HTTP 500"))
        #expect(server.requests.map(\.method) == ["PUT"])
    }

    @Test func anUnreachableEndpointFailsFast() async throws {
        let port = try ScriptedHTTPServer.closedPort()
        let provider = S3InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(port)"])
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(clock.now - start < .seconds(20))  // a hang bound: every suite runs at once on 2 cores
        #expect(error.kind == .credentials)
        #expect(error.transportError != nil)
        #expect(error.description.contains("PUT http://127.0.0.1:\(port)/latest/api/token failed"))
    }

    @Test func anErrorCodeInTheDocumentIsReported() async throws {
        let server = try FakeCredentialsServer(.imds(role: "r"), prefix: "imds")
        defer { server.stop() }
        server.update { $0.body = #"{"Code": "AssumeRoleUnauthorizedAccess", "Message": "role cannot be assumed"}"# }
        let provider = S3InstanceMetadataCredentialsProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": server.base])
        let error = try await #require(throws: S3Error.self) { try await provider.credentials() }
        #expect(error.description.contains("IMDSv2 answered an unusable credentials document: Code AssumeRoleUnauthorizedAccess: role cannot be assumed"))
    }
}
