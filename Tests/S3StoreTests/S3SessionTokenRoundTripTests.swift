import S3Store
import Testing

/// A real round trip with temporary credentials: SeaweedFS's embedded STS (`AssumeRole`,
/// enabled by default in `weed` 4.48 with the static identity of `.local/s3/s3.json`) issues
/// them, a local container credentials endpoint serves them, and the client signs every
/// request, multipart parts included, with `x-amz-security-token`. SeaweedFS validates the
/// token (an HS256 JWT): without it, or with a tampered one, the same keys get 403.
@Suite("Session token round trip", .s3Bucket("sts"), .timeLimit(.minutes(3)))
struct S3SessionTokenRoundTripTests {
    @Test func temporaryCredentialsFromTheContainerEndpointAreAccepted() async throws {
        let environment = try S3TestEnvironment.load()
        let bucket = try S3BucketTrait.current()
        let temporary = try LocalSTS.assumeRole(environment, sessionName: "adrecs-chain-test")
        #expect(temporary.accessKeyID != environment.accessKeyID)

        let endpoint = try FakeCredentialsServer(.container(path: "/v2/credentials/sts"), prefix: "unused")
        defer { endpoint.stop() }
        endpoint.update {
            $0.body = """
                {"AccessKeyId": "\(temporary.accessKeyID)", "SecretAccessKey": "\(temporary.secretAccessKey)",
                 "Token": "\(temporary.sessionToken)", "Expiration": "\(temporary.expiration)"}
                """
        }
        let chain = S3CredentialsChain.standard(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": endpoint.base + "/v2/credentials/sts", "AWS_EC2_METADATA_DISABLED": "true",
        ])
        let client = try S3Client(configuration: S3Configuration(
            endpoint: environment.endpoint, region: environment.region, credentials: chain,
            retryPolicy: S3RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(20)), partSize: 5 * 1024 * 1024))

        try await client.putObject(bucket: bucket, key: "sts/small.txt", bytes: Array("temporary".utf8))
        #expect(try await client.getObject(bucket: bucket, key: "sts/small.txt") == Array("temporary".utf8))
        let total = 2 * 5 * 1024 * 1024 + 17
        let result = try await client.putObject(
            bucket: bucket, key: "sts/multipart.bin", chunks: TestBytes.chunks(total: total, chunkSize: 1_000_003))
        #expect(result.parts == 3)
        #expect(try await client.headObject(bucket: bucket, key: "sts/multipart.bin")?.size == Int64(total))
        #expect(try await client.listObjectsPage(bucket: bucket, prefix: "sts/").objects.map(\.key) == ["sts/multipart.bin", "sts/small.txt"])
        #expect(endpoint.served == 1)  // cached: the token expires in 15 min, outside the 5 min window

        for token in [nil, temporary.sessionToken + "x"] {
            let rejected = try S3Client(configuration: S3Configuration(
                endpoint: environment.endpoint, region: environment.region,
                credentials: S3StaticCredentialsProvider(
                    accessKeyID: temporary.accessKeyID, secretAccessKey: temporary.secretAccessKey, sessionToken: token),
                retryPolicy: .none))
            let error = try await #require(throws: S3Error.self) {
                try await rejected.getObject(bucket: bucket, key: "sts/small.txt")
            }
            #expect(error.httpStatus == 403)
            #expect(!error.description.contains(temporary.secretAccessKey))
        }
    }
}
