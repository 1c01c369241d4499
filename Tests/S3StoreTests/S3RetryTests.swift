import Foundation
import S3Store
import Testing

/// Retry behaviour against a scripted local HTTP server (no S3 server needed).
@Suite("Retries", .timeLimit(.minutes(3)))
struct S3RetryTests {
    static func client(port: Int, attempts: Int = 3) throws -> S3Client {
        try S3Client(
            configuration: S3Configuration(
                endpoint: "http://127.0.0.1:\(port)", region: "us-east-1",
                credentials: S3StaticCredentialsProvider(accessKeyID: "AKIDTEST", secretAccessKey: "not-a-real-secret"),
                retryPolicy: S3RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10)),
                connectTimeout: .seconds(2)))
    }

    @Test func serviceUnavailableTwiceThenSuccess() async throws {
        let server = try ScriptedHTTPServer { index, _ in
            index < 2
                ? ScriptedHTTPServer.s3Error(503, "Service Unavailable", code: "SlowDown")
                : ScriptedHTTPServer.response(200, "OK", body: Array("third time".utf8))
        }
        defer { server.stop() }
        let client = try Self.client(port: server.port)
        let body = try await client.getObject(bucket: "b", key: "k")
        #expect(String(decoding: body, as: UTF8.self) == "third time")
        #expect(server.requests.count == 3)
        #expect(client.retryCount == 2)
        #expect(server.requests.allSatisfy { $0.method == "GET" && $0.target == "/b/k" })
        #expect(server.requests.allSatisfy { $0.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD" })
        #expect(server.requests.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256") == true })
    }

    @Test func uploadBodyIsResentOnRetry() async throws {
        let server = try ScriptedHTTPServer { index, _ in
            index == 0
                ? ScriptedHTTPServer.s3Error(500, "Internal Server Error", code: "InternalError")
                : ScriptedHTTPServer.response(200, "OK", headers: ["ETag": "\"abc\""])
        }
        defer { server.stop() }
        let payload = TestBytes.bytes(0..<100_000)
        let result = try await Self.client(port: server.port).putObject(bucket: "b", key: "k", bytes: payload)
        #expect(result.eTag == "\"abc\"")
        #expect(server.requests.map(\.body) == [payload, payload])
    }

    @Test func tooManyRequestsIsRetried() async throws {
        let server = try ScriptedHTTPServer { index, _ in
            index == 0 ? ScriptedHTTPServer.response(429, "Too Many Requests") : ScriptedHTTPServer.response(204, "No Content")
        }
        defer { server.stop() }
        try await Self.client(port: server.port).deleteObject(bucket: "b", key: "k")
        #expect(server.requests.count == 2)
    }

    @Test func badRequestIsNotRetried() async throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.s3Error(400, "Bad Request", code: "InvalidArgument") }
        defer { server.stop() }
        let error = try await #require(throws: S3Error.self) {
            try await Self.client(port: server.port).getObject(bucket: "b", key: "dir/k")
        }
        #expect(error.httpStatus == 400)
        #expect(error.code == "InvalidArgument")
        #expect(error.requestID == "scripted-400")
        #expect(error.attempts == 1)
        #expect(error.operation == .getObject && error.bucket == "b" && error.key == "dir/k")
        #expect(server.requests.count == 1)
    }

    @Test func exhaustedRetriesReportTheLastServiceError() async throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.s3Error(503, "Service Unavailable", code: "SlowDown") }
        defer { server.stop() }
        let error = try await #require(throws: S3Error.self) {
            try await Self.client(port: server.port, attempts: 4).headObject(bucket: "b", key: "k")
        }
        #expect(error.httpStatus == 503)
        #expect(error.attempts == 4)
        #expect(server.requests.count == 4)
    }

    /// With attempts unbounded, the time budget ends the retries (how many fit in it depends on
    /// the machine's load; `S3EndpointTests` checks the rule itself).
    @Test func theBudgetEndsTheRetries() async throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.s3Error(503, "Service Unavailable", code: "SlowDown") }
        defer { server.stop() }
        let client = try S3Client(
            configuration: S3Configuration(
                endpoint: "http://127.0.0.1:\(server.port)", region: "us-east-1",
                credentials: S3StaticCredentialsProvider(accessKeyID: "AKIDTEST", secretAccessKey: "not-a-real-secret"),
                retryPolicy: S3RetryPolicy(baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), budget: .seconds(2))))
        let start = ContinuousClock.now
        let error = try await #require(throws: S3Error.self) { try await client.getObject(bucket: "b", key: "k") }
        #expect(ContinuousClock.now - start < .seconds(20))  // a hang bound
        #expect(error.code == "SlowDown")
        #expect(error.attempts == server.requests.count)
        #expect(client.retryCount == error.attempts - 1)
    }

    @Test func connectionRefusedIsRetriedThenReported() async throws {
        let port = try ScriptedHTTPServer.closedPort()
        let error = try await #require(throws: S3Error.self) {
            try await Self.client(port: port, attempts: 3).getObject(bucket: "b", key: "k")
        }
        #expect(error.kind == .transport)
        #expect(error.attempts == 3)
        #expect(error.transportError?.isConnectFailure == true)
        #expect(error.description.contains("could not connect to 127.0.0.1:\(port)"))
        #expect(!error.description.contains("not-a-real-secret"))
    }

    @Test func streamedDownloadResumesAfterACutConnection() async throws {
        let object = TestBytes.bytes(0..<1_000_000)
        let server = try ScriptedHTTPServer { index, request in
            if index == 0 {
                // Promise the whole object, send 300,000 bytes, then the server closes.
                let head = ScriptedHTTPServer.response(200, "OK", headers: ["ETag": "\"v1\""])
                let promised = String(decoding: head, as: UTF8.self)
                    .replacingOccurrences(of: "Content-Length: 0", with: "Content-Length: \(object.count)")
                return Array(promised.utf8) + object[..<300_000]
            }
            guard request.headers["range"] == "bytes=300000-", request.headers["if-match"] == "\"v1\"" else {
                return ScriptedHTTPServer.s3Error(400, "Bad Request", code: "UnexpectedResume")
            }
            return ScriptedHTTPServer.response(
                206, "Partial Content", headers: ["ETag": "\"v1\"", "Content-Range": "bytes 300000-999999/1000000"],
                body: Array(object[300_000...]))
        }
        defer { server.stop() }
        let received = try await Self.client(port: server.port).getObjectStream(bucket: "b", key: "k").collect()
        #expect(server.requests.count == 2)
        #expect(received.count == object.count)
        #expect(TestBytes.matches(received, 0..<object.count))
    }

    @Test func streamedDownloadReportsServiceErrors() async throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.s3Error(404, "Not Found", code: "NoSuchKey") }
        defer { server.stop() }
        let error = try await #require(throws: S3Error.self) {
            try await Self.client(port: server.port).getObjectStream(bucket: "b", key: "gone").collect()
        }
        #expect(error.code == "NoSuchKey")
        #expect(error.isNotFound)
        #expect(server.requests.count == 1)
    }

    @Test func sessionTokenIsSentAsASignedHeader() async throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.response(200, "OK") }
        defer { server.stop() }
        let client = try S3Client(
            configuration: S3Configuration(
                endpoint: "http://127.0.0.1:\(server.port)", region: "eu-central-1",
                credentials: S3StaticCredentialsProvider(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "tok+en/="),
                retryPolicy: .none))
        try await client.putObject(bucket: "b", key: "k", bytes: [1, 2, 3], contentType: "text/csv")
        let request = try #require(server.requests.first)
        #expect(request.method == "PUT")
        #expect(request.headers["x-amz-security-token"] == "tok+en/=")
        #expect(request.headers["content-type"] == "text/csv")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.contains("/eu-central-1/s3/aws4_request"))
        #expect(authorization.contains("x-amz-security-token"))
        #expect(authorization.contains("x-amz-content-sha256"))
        #expect(!authorization.contains("secret"))
    }

    @Test func cancellingARequestAbortsTheTransferPromptly() async throws {
        // The server holds its answer for 60 s (or until the test ends).
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedHTTPServer { _, _ in
            _ = release.wait(timeout: .now() + 60)
            return ScriptedHTTPServer.response(200, "OK")
        }
        defer {
            release.signal()
            server.stop()
        }
        let client = try Self.client(port: server.port)
        let task = Task { try await client.getObject(bucket: "b", key: "slow") }
        // Cancel once the request is in the server's hands.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while server.requests.isEmpty, clock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(server.requests.count == 1)
        let cancelled = clock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        // curl polls the flag about once a second; the margin covers a busy 2-core test run.
        #expect(clock.now - cancelled < .seconds(30))
        #expect(server.requests.count == 1)
    }
}
