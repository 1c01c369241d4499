import Foundation
import Testing

@testable import S3Store

@Suite("Endpoint, addressing and encoding")
struct S3EndpointTests {
    @Test func pathStyleWithCustomEndpoint() throws {
        let endpoint = try S3Endpoint("http://127.0.0.1:18333/", region: "us-east-1", style: .path)
        #expect(endpoint.url(bucket: "b", key: "dt=2024-11-20/a b+c.csv", query: [])
            == "http://127.0.0.1:18333/b/dt%3D2024-11-20/a%20b%2Bc.csv")
        #expect(endpoint.url(bucket: "b", key: nil, query: [("list-type", "2")]) == "http://127.0.0.1:18333/b?list-type=2")
        #expect(endpoint.url(bucket: nil, key: nil, query: []) == "http://127.0.0.1:18333/")
    }

    @Test func virtualHostedOnAWS() throws {
        let endpoint = try S3Endpoint(nil, region: "eu-west-1", style: .virtualHosted)
        #expect(endpoint.url(bucket: "my-bucket", key: "k/ü.txt", query: [])
            == "https://my-bucket.s3.eu-west-1.amazonaws.com/k/%C3%BC.txt")
        #expect(endpoint.url(bucket: "my-bucket", key: nil, query: [("uploads", "")])
            == "https://my-bucket.s3.eu-west-1.amazonaws.com/?uploads=")
    }

    @Test func virtualHostedWithCustomEndpointAndBasePath() throws {
        let endpoint = try S3Endpoint("http://storage.local:9000/s3", region: "us-east-1", style: .virtualHosted)
        #expect(endpoint.url(bucket: "logs", key: "a", query: []) == "http://logs.storage.local:9000/s3/a")
    }

    @Test func dottedBucketsFallBackToPathStyleOverHTTPS() throws {
        let endpoint = try S3Endpoint(nil, region: "us-east-1", style: .virtualHosted)
        #expect(endpoint.url(bucket: "my.bucket", key: "k", query: []) == "https://s3.us-east-1.amazonaws.com/my.bucket/k")
        #expect(endpoint.url(bucket: "UPPER", key: "k", query: []) == "https://s3.us-east-1.amazonaws.com/UPPER/k")
    }

    @Test func defaultAddressingStyleFollowsTheEndpoint() {
        let credentials = S3StaticCredentialsProvider(accessKeyID: "a", secretAccessKey: "s")
        #expect(S3Configuration(region: "us-east-1", credentials: credentials).addressingStyle == .virtualHosted)
        #expect(S3Configuration(endpoint: "http://x", region: "us-east-1", credentials: credentials).addressingStyle == .path)
    }

    @Test(arguments: ["127.0.0.1:18333", "ftp://host", "http://", "http://u:p@host", "http://host?x=1"])
    func rejectsBadEndpoints(url: String) {
        #expect(throws: S3Error.self) { try S3Endpoint(url, region: "us-east-1", style: .path) }
    }

    @Test func canonicalQueryIsSortedAndFullyEncoded() {
        let query = S3PercentEncoding.canonicalQuery([
            ("uploadId", "a/b+c=d"), ("partNumber", "3"), ("prefix", "dt=2024 11"), ("uploads", ""), ("a~b", "~._-"),
        ])
        #expect(query == "a~b=~._-&partNumber=3&prefix=dt%3D2024%2011&uploadId=a%2Fb%2Bc%3Dd&uploads=")
    }

    @Test func pathEncodingKeepsSlashesOnly() {
        #expect(S3PercentEncoding.encodePath("a/b c/ü/%/~") == "a/b%20c/%C3%BC/%25/~")
        #expect(S3PercentEncoding.encode("a/b") == "a%2Fb")
    }

    /// Full jitter: each pause is random in 0...ceiling, the ceiling doubling up to the cap.
    @Test func retryDelaysGrowAndStayCapped() {
        let policy = S3RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        var thirds: Set<Duration> = []
        for _ in 0..<50 {
            #expect(policy.delay(afterAttempt: 1) <= .milliseconds(100))
            let third = policy.delay(afterAttempt: 3)
            #expect(third >= .zero && third <= .milliseconds(400))
            thirds.insert(third)
            #expect(policy.delay(afterAttempt: 9) <= .seconds(1))
        }
        #expect(thirds.count > 1, "the pauses are jittered")
        #expect(policy.backoff.ceiling(afterAttempt: 3) == .milliseconds(400))
        #expect(policy.backoff.ceiling(afterAttempt: 9) == .seconds(1))
    }

    /// No retry starts after the budget; the attempts bound retries too.
    @Test func retriesStopAtTheBudgetOrTheAttempts() {
        let policy = S3RetryPolicy(baseDelay: .milliseconds(10), maxDelay: .milliseconds(10), budget: .seconds(5))
        #expect(policy.pause(afterAttempt: 1, since: .now) != nil)
        #expect(policy.pause(afterAttempt: 100, since: .now) != nil)
        #expect(policy.pause(afterAttempt: 1, since: .now - .seconds(5)) == nil)
        #expect(S3RetryPolicy.none.pause(afterAttempt: 1, since: .now) == nil)
        #expect(S3RetryPolicy.default.budget == .seconds(60))
    }

    @Test func multipartETagIsTheMD5OfThePartMD5s() {
        #expect(S3MultipartETag.md5([]).map { String(format: "%02x", $0) }.joined() == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(S3MultipartETag.md5(Array("abc".utf8)).map { String(format: "%02x", $0) }.joined() == "900150983cd24fb0d6963f7d28e17f72")
        let long = Array(String(repeating: "1234567890", count: 8).utf8)  // 80 bytes: two blocks
        #expect(S3MultipartETag.md5(long).map { String(format: "%02x", $0) }.joined() == "57edf4a22be3c955ac49da2e2107b67a")
        // md5(md5("abc") ‖ md5("")), two parts.
        let parts = ["\"900150983cd24fb0d6963f7d28e17f72\"", "d41d8cd98f00b204e9800998ecf8427e"]
        let expected = S3MultipartETag.expected(partETags: parts)
        #expect(expected?.hasSuffix("-2\"") == true)
        #expect(expected.map { S3MultipartETag.same($0, $0.uppercased().replacingOccurrences(of: "\"", with: "")) } == true)
        #expect(S3MultipartETag.expected(partETags: ["not-an-md5"]) == nil)
        #expect(S3Client.isCompletion("\"abc-3\"", of: ["x", "y", "z"]))
        #expect(!S3Client.isCompletion("\"abc-2\"", of: ["x", "y", "z"]))
        #expect(!S3Client.isCompletion("\"00000000000000000000000000000000-2\"", of: parts))
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = S3Credentials(accessKeyID: "AKID", secretAccessKey: "s3cr3t-value", sessionToken: "t0ken-value")
        for text in [credentials.description, String(reflecting: credentials), "\(S3StaticCredentialsProvider(credentials))"] {
            #expect(!text.contains("s3cr3t-value"))
            #expect(!text.contains("t0ken-value"))
        }
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("s3cr3t-value"))

        let configuration = S3Configuration(
            region: "us-east-1", credentials: S3StaticCredentialsProvider(credentials))
        var dumpedConfiguration = ""
        dump(configuration, to: &dumpedConfiguration)
        for text in ["\(configuration)", String(reflecting: configuration), dumpedConfiguration] {
            #expect(text.contains("AKID"))
            #expect(!text.contains("s3cr3t-value"))
            #expect(!text.contains("t0ken-value"))
        }
    }

    @Test func rejectsInvalidPartSizes() {
        let credentials = S3StaticCredentialsProvider(accessKeyID: "a", secretAccessKey: "s")
        #expect(throws: S3Error.self) {
            try S3Client(configuration: S3Configuration(region: "us-east-1", credentials: credentials, partSize: 1024))
        }
        #expect(throws: S3Error.self) {
            try S3Client(
                configuration: S3Configuration(
                    region: "us-east-1", credentials: credentials, partSize: 8 << 20, multipartThreshold: 5 << 20))
        }
    }
}
