import AdrecsConcurrency
import Curl
import Synchronization

/// Signs (curl's SigV4), sends and retries requests. Owns the pool of curl handles and the
/// blocking executor on which every `curl_easy_perform` runs.
final class S3Transport: Sendable {
    let configuration: S3Configuration
    let endpoint: S3Endpoint
    /// Dedicated threads, started as soon as transfers wait (a concurrent dispatch queue on Linux
    /// would add a thread only about once a second while its workers block); they also run the
    /// async glue of streamed downloads.
    let blocking: BlockingExecutor
    private let pool: CurlHandlePool
    private let signingScope: String
    /// Attempts repeated after a transient failure (``S3Client/retryCount``).
    let retries = Atomic<Int>(0)

    /// Largest chunk curl hands the write callback.
    static let receiveBufferSize = 128 * 1024
    /// Buffered answers (not streams) larger than this fail rather than exhaust memory.
    static let bufferedBodyLimit = 512 * 1024 * 1024
    /// Error documents are short; anything beyond this is dropped.
    static let errorBodyLimit = 1024 * 1024

    init(configuration: S3Configuration) throws(S3Error) {
        try configuration.validate()
        self.configuration = configuration
        self.endpoint = try S3Endpoint(configuration.endpoint, region: configuration.region, style: configuration.addressingStyle)
        self.blocking = BlockingExecutor(label: "adrecs.s3", maxThreads: configuration.maxConcurrentTransfers + 64)
        self.pool = CurlHandlePool(maxIdle: configuration.maxIdleConnections)
        self.signingScope = "aws:amz:\(configuration.region):s3"
    }

    // MARK: - Buffered requests with retries

    /// Sends `request`, retrying per the policy, and returns a 2xx answer or one whose status
    /// is in `allowed`; any other answer throws an ``S3Error`` with S3's code and message.
    func send(_ request: S3Request, allowing allowed: Set<Int> = []) async throws -> S3Response {
        let policy = configuration.retryPolicy
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let credentials = try await credentials(for: request, attempt: attempt)
            let outcome = try await runBlocking { isCancelled in
                let exchange = S3Exchange(bodyLimit: Self.bufferedBodyLimit)
                do throws(CurlError) {
                    try self.perform(request, credentials: credentials, exchange: exchange, isCancelled: isCancelled, receive: nil)
                    return Result<S3Response, CurlError>.success(exchange.response)
                } catch {
                    return .failure(error)
                }
            }
            switch outcome {
            case .success(let response):
                if response.isSuccess || allowed.contains(response.status) { return response }
                let error = serviceError(response, request, attempts: attempt)
                if Self.isRetryable(status: response.status, code: error.code),
                    let pause = policy.pause(afterAttempt: attempt, since: start)
                {
                    try await retry(after: pause)
                    continue
                }
                throw error
            case .failure(let curlError):
                if Task.isCancelled { throw CancellationError() }
                if curlError.isTransient, let pause = policy.pause(afterAttempt: attempt, since: start) {
                    try await retry(after: pause)
                    continue
                }
                throw transportError(curlError, request, attempts: attempt)
            }
        }
    }

    /// Counts a retry and sleeps `pause` before it.
    func retry(after pause: Duration) async throws {
        retries.add(1, ordering: .relaxed)
        try await Task.sleep(for: pause)
    }

    /// Runs `body` on a blocking thread; task cancellation sets the flag `body` polls.
    func runBlocking<T: Sendable>(_ body: @escaping @Sendable (@escaping @Sendable () -> Bool) -> T) async throws -> T {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await blocking.run { body { flag.isCancelled } }
        } onCancel: {
            flag.cancel()
        }
    }

    func credentials(for request: S3Request, attempt: Int) async throws -> S3Credentials {
        do {
            return try await configuration.credentials.credentials()
        } catch is CancellationError {
            throw CancellationError()
        } catch var error as S3Error where error.kind == .credentials && error.operation == nil {
            error.operation = request.operation
            error.bucket = request.bucket
            error.key = request.key
            error.attempts = attempt
            throw error
        } catch {
            throw S3Error(
                kind: .credentials, operation: request.operation, bucket: request.bucket, key: request.key,
                message: "the credentials provider failed: \(error)", attempts: attempt)
        }
    }

    // MARK: - One attempt (blocking)

    /// Performs one attempt on a pooled handle. The answer's status and headers land in
    /// `exchange`. A 2xx body goes to `receive` when given, else into `exchange.response.body`.
    func perform(
        _ request: S3Request, credentials: S3Credentials, exchange: S3Exchange, isCancelled: @escaping () -> Bool,
        receive: ((Int, UnsafeRawBufferPointer) -> CurlWriteResult)?
    ) throws(CurlError) {
        let url = endpoint.url(bucket: request.bucket, key: request.key, query: request.query)
        let headers = Self.headerLines(request, credentials: credentials)
        let body = request.body
        let bodySize = Int64(body.count)
        try pool.withHandle { (easy) throws(CurlError) in
                try easy.setURL(url)
                try easy.setMethod(request.method, bodySize: bodySize)
                try easy.setHeaders(headers)
                try easy.setAWSSigV4(signingScope)
                try easy.setCredentials(user: credentials.accessKeyID, password: credentials.secretAccessKey)
                try easy.setConnectTimeout(configuration.connectTimeout)
                try easy.setLowSpeedLimit(bytesPerSecond: configuration.lowSpeedLimit, duration: configuration.lowSpeedTime)
                try easy.setTCPKeepAlive(true)
                try easy.setPathAsIs(true)
                try easy.setReceiveBufferSize(Self.receiveBufferSize)
                try easy.setUploadBufferSize(256 * 1024)
                easy.onHeader { line in exchange.response.consumeHeaderLine(line) }
                easy.onProgress { !isCancelled() }
                easy.onWrite { chunk in
                    let status = exchange.response.status
                    if let receive, (200..<300).contains(status) {
                        if isCancelled() { return .abort }
                        exchange.streamedBytes += Int64(chunk.count)
                        return receive(status, chunk)
                    }
                    let limit = (200..<300).contains(status) ? exchange.bodyLimit : Self.errorBodyLimit
                    guard exchange.response.body.count + chunk.count <= limit else {
                        return (200..<300).contains(status) ? .abort : .consumed
                    }
                    exchange.response.body.append(contentsOf: chunk)
                    return .consumed
                }
                let outcome = body.withUnsafeBytes { raw -> Result<Void, CurlError> in
                    var offset = 0
                    easy.onRead { buffer in
                        if isCancelled() { return .abort }
                        let count = min(buffer.count, raw.count - offset)
                        if count > 0 {
                            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + count)]))
                            offset += count
                        }
                        return .bytes(count)
                    }
                    easy.onSeek { position in
                        guard position >= 0, position <= Int64(raw.count) else { return false }
                        offset = Int(position)
                        return true
                    }
                    do throws(CurlError) {
                        _ = try easy.perform()
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
                try outcome.get()
        }
    }

    static func headerLines(_ request: S3Request, credentials: S3Credentials) -> [String] {
        var lines = ["x-amz-content-sha256: UNSIGNED-PAYLOAD"]
        if let token = credentials.sessionToken, !token.isEmpty {
            lines.append("x-amz-security-token: \(token)")
        }
        if request.method == .put || request.method == .post {
            lines.append("Content-Type: \(request.contentType ?? "application/octet-stream")")
        }
        for (name, value) in request.headers { lines.append("\(name): \(value)") }
        return lines
    }

    // MARK: - Errors and retry decisions

    static func isRetryable(status: Int, code: String?) -> Bool {
        status >= 500 || status == 429 || code == "RequestTimeout" || code == "SlowDown" || code == "InternalError"
    }

    func serviceError(_ response: S3Response, _ request: S3Request, attempts: Int, fileID: String = #fileID, line: Int = #line) -> S3Error {
        let document = try? XMLScanner.parse(response.body)
        let errorElement = document.flatMap { $0.name == "Error" ? $0 : $0.child("Error") }
        return S3Error(
            kind: .service, operation: request.operation, bucket: request.bucket, key: request.key,
            httpStatus: response.status, code: errorElement?.text(of: "Code"), message: errorElement?.text(of: "Message"),
            requestID: response[header: "x-amz-request-id"] ?? errorElement?.text(of: "RequestId"),
            attempts: attempts, fileID: fileID, line: line)
    }

    func transportError(_ error: CurlError, _ request: S3Request, attempts: Int, fileID: String = #fileID, line: Int = #line) -> S3Error {
        S3Error(
            kind: .transport, operation: request.operation, bucket: request.bucket, key: request.key,
            message: error.isConnectFailure ? "could not connect to \(endpoint.authority)" : nil,
            transportError: error, attempts: attempts, fileID: fileID, line: line)
    }
}

/// The state of one attempt on the blocking thread, filled by curl's header and write
/// callbacks and readable after `perform()` whether or not it succeeded.
final class S3Exchange {
    var response = S3Response()
    /// Bytes handed to the streaming receiver (2xx bodies only).
    var streamedBytes: Int64 = 0
    /// Error bodies (and buffered bodies) are cut at this size.
    let bodyLimit: Int

    init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }
}
