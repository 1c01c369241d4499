import S3Store
import Testing

@Suite("S3 authentication", .s3Bucket("auth"), .timeLimit(.minutes(3)))
struct S3AuthenticationTests {
    @Test func wrongSecretIsRejectedWithoutRetry() async throws {
        let environment = try S3TestEnvironment.load()
        let bucket = try S3BucketTrait.current()
        let wrongSecret = "wrong-" + String(environment.secretAccessKey.reversed())
        let client = try environment.client(secret: wrongSecret, retry: S3RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10)))

        let error = try await #require(throws: S3Error.self) {
            try await client.putObject(bucket: bucket, key: "denied.txt", bytes: Array("x".utf8))
        }
        #expect(error.description.contains("SignatureDoesNotMatch"))
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.httpStatus == 403)
        #expect(error.attempts == 1)
        #expect(!error.description.contains(wrongSecret))
        #expect(!error.description.contains(environment.secretAccessKey))

        let listError = try await #require(throws: S3Error.self) {
            try await client.listObjectsPage(bucket: bucket)
        }
        #expect(listError.code == "SignatureDoesNotMatch")

        let good = try environment.client()
        #expect(try await good.headObject(bucket: bucket, key: "denied.txt") == nil)
    }

    @Test func emptySessionTokenIsNotSent() async throws {
        let environment = try S3TestEnvironment.load()
        let bucket = try S3BucketTrait.current()
        let client = try S3Client(
            configuration: S3Configuration(
                endpoint: environment.endpoint, region: environment.region,
                credentials: S3StaticCredentialsProvider(
                    accessKeyID: environment.accessKeyID, secretAccessKey: environment.secretAccessKey, sessionToken: ""),
                retryPolicy: .none))
        try await client.putObject(bucket: bucket, key: "empty-token.txt", bytes: Array("ok".utf8))
        #expect(try await client.getObject(bucket: bucket, key: "empty-token.txt") == Array("ok".utf8))
    }
}
