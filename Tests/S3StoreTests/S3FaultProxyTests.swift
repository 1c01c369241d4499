import AdrecsTestSupport
import Foundation
import S3Store
import Testing

/// Retries against real faults: `Tests/faultproxy/s3_fault_proxy.py` forwards to the real S3
/// server (which checks every signature) and answers `503 SlowDown`, `403 AccessDenied`, or drops
/// the answer of a completed multipart upload.
@Suite("S3 through a fault-injecting proxy", .s3Bucket("faults"), .timeLimit(.minutes(3)))
struct S3FaultProxyTests {
    let environment: S3TestEnvironment
    let bucket: String

    init() throws {
        environment = try S3TestEnvironment.load()
        bucket = try S3BucketTrait.current()
    }

    /// Retries for up to 30 s, pausing at most 0.2 s: quick, yet bounded by the budget only.
    static let retry = S3RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(200), budget: .seconds(30))

    func makeClient(_ proxy: FaultProxy, retry: S3RetryPolicy = Self.retry) throws -> S3Client {
        try environment.client(retry: retry, endpoint: proxy.endpoint)
    }

    @Test func putAndGetSucceedThroughSlowDowns() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--slowdown-requests", "3"]) { proxy in
            let client = try makeClient(proxy)
            let payload = TestBytes.bytes(0..<300_000)
            try await client.putObject(bucket: bucket, key: "slow/put.bin", bytes: payload)
            #expect(client.retryCount == 3)
            #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: "slow/put.bin"), 0..<payload.count))
            #expect(proxy.statuses.filter { $0 == "503" }.count == 3)
        }
    }

    @Test func everyRequestSucceedsAfterSecondsOfSlowDown() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--slowdown-seconds", "2"]) { proxy in
            let client = try makeClient(proxy)
            try await client.putObject(bucket: bucket, key: "slow/seconds.txt", bytes: Array("after the storm".utf8))
            #expect(try await client.getObject(bucket: bucket, key: "slow/seconds.txt") == Array("after the storm".utf8))
            #expect(client.retryCount >= 1)
            #expect(proxy.statuses.contains("503"))
        }
    }

    @Test func aSlowedDownPartIsRetriedFromItsBuffer() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--slowdown-requests", "2", "--slowdown-match", "partNumber=2&"]) { proxy in
            let client = try makeClient(proxy)
            let total = 2 * 5 * 1024 * 1024 + 999
            let result = try await client.putObject(
                bucket: bucket, key: "slow/multipart.bin", chunks: TestBytes.chunks(total: total, chunkSize: 1_000_003))
            #expect(result.parts == 3)
            #expect(client.retryCount == 2)
            #expect(TestBytes.matches(try await client.getObjectStream(bucket: bucket, key: "slow/multipart.bin").collect(), 0..<total))
            #expect(proxy.lines.filter { $0.contains("partNumber=2&") && $0.hasSuffix(" 503") }.count == 2)
        }
    }

    @Test func aStreamedDownloadGoesOnThroughSlowDowns() async throws {
        let seed = try environment.client()
        try await seed.putObject(bucket: bucket, key: "slow/stream.bin", bytes: TestBytes.bytes(0..<1_000_000))
        try await FaultProxy.with(upstream: environment.endpoint, ["--slowdown-requests", "2"]) { proxy in
            let client = try makeClient(proxy)
            #expect(TestBytes.matches(try await client.getObjectStream(bucket: bucket, key: "slow/stream.bin").collect(), 0..<1_000_000))
            #expect(client.retryCount == 2)
        }
    }

    /// The first CompleteMultipartUpload never reaches the server and its retry meets
    /// NoSuchUpload: no object is there, so the upload fails with that error.
    @Test func noSuchUploadWithoutTheObjectFails() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--lose-complete", "1", "--forget-completed"]) { proxy in
            let client = try makeClient(proxy)
            let error = try await #require(throws: S3Error.self) {
                try await client.putObject(
                    bucket: bucket, key: "lost/never.bin", chunks: TestBytes.chunks(total: 5 * 1024 * 1024 + 1, chunkSize: 1_000_003))
            }
            #expect(error.code == "NoSuchUpload")
            #expect(error.operation == .completeMultipartUpload)
            #expect(try await client.headObject(bucket: bucket, key: "lost/never.bin") == nil)
        }
    }

    @Test func aForbiddenRequestIsNotRetried() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--forbid-match", "forbidden"]) { proxy in
            let client = try makeClient(proxy)
            let error = try await #require(throws: S3Error.self) {
                try await client.putObject(bucket: bucket, key: "forbidden/x.txt", bytes: Array("no".utf8))
            }
            #expect(error.httpStatus == 403)
            #expect(error.code == "AccessDenied")
            #expect(error.attempts == 1)
            #expect(client.retryCount == 0)
            #expect(proxy.lines.count == 1)
        }
    }

    /// The proxy forwards the first CompleteMultipartUpload and drops its answer; the retry meets
    /// NoSuchUpload (as from S3), and a HEAD finds the object complete.
    @Test func aLostCompleteAnswerFindsTheObjectComplete() async throws {
        try await FaultProxy.with(upstream: environment.endpoint, ["--drop-complete", "1", "--forget-completed"]) { proxy in
            let client = try makeClient(proxy)
            let total = 5 * 1024 * 1024 + 12_345
            let result = try await client.putObject(
                bucket: bucket, key: "lost/complete.bin", chunks: TestBytes.chunks(total: total, chunkSize: 1_000_003))
            #expect(result.parts == 2)
            #expect(result.size == Int64(total))
            let completes = proxy.lines.filter { $0.hasPrefix("POST ") && $0.contains("uploadId=") }
            #expect(completes.first?.hasSuffix(" dropped") == true, "\(completes)")
            #expect(completes.count == 2, "\(completes)")
            #expect(completes.last?.hasSuffix(" 404") == true, "\(completes)")
            #expect(proxy.lines.contains { $0.hasPrefix("HEAD ") && $0.contains("/lost/complete.bin") }, "\(proxy.lines)")
            let info = try #require(try await client.headObject(bucket: bucket, key: "lost/complete.bin"))
            #expect(info.size == Int64(total))
            #expect(result.eTag == info.eTag)
            #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: "lost/complete.bin"), 0..<total))
        }
    }
}
