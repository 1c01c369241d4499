import Curl

extension S3Transport {
    /// Runs a streamed GET into `channel`. After a transient failure it resumes with a Range
    /// request from the first byte not yet delivered, pinned to the first answer's ETag with
    /// `If-Match`, so the stream never repeats or skips bytes.
    func download(bucket: String, key: String, range: ClosedRange<Int64>?, chunkSize: Int, into channel: S3ByteChannel) async {
        let policy = configuration.retryPolicy
        var budgetStart = ContinuousClock.now
        var delivered: Int64 = 0
        var eTag: String?
        var attempt = 0
        while !channel.isCancelled {
            attempt += 1
            var headers: [(String, String)] = []
            let start = (range?.lowerBound ?? 0) + delivered
            if let range {
                headers.append(("Range", "bytes=\(start)-\(range.upperBound)"))
            } else if delivered > 0 {
                headers.append(("Range", "bytes=\(start)-"))
            }
            if delivered > 0, let eTag { headers.append(("If-Match", eTag)) }
            let resuming = delivered > 0
            let request = S3Request(.getObject, .get, bucket: bucket, key: key, headers: headers)
            let credentials: S3Credentials
            do {
                credentials = try await self.credentials(for: request, attempt: attempt)
            } catch {
                channel.finish(throwing: error)
                return
            }
            let outcome: Attempt
            do {
                outcome = try await runBlocking { isCancelled in
                    self.downloadAttempt(
                        request, credentials: credentials, resuming: resuming, chunkSize: chunkSize, channel: channel,
                        isCancelled: isCancelled)
                }
            } catch {
                channel.cancel()
                return
            }
            delivered += outcome.delivered
            if eTag == nil { eTag = outcome.response.headers["etag"] }
            if channel.isCancelled { return }
            // Progress starts a new budget: each resumed piece is retried on its own.
            if outcome.delivered > 0 {
                attempt = 0
                budgetStart = ContinuousClock.now
            }
            let failure: S3Error
            let retryable: Bool
            switch outcome.result {
            case .success where outcome.response.isSuccess && !outcome.rangeIgnored:
                channel.finish()
                return
            case .success where outcome.rangeIgnored, .failure where outcome.rangeIgnored:
                failure = S3Error(
                    kind: .invalidResponse, operation: .getObject, bucket: bucket, key: key,
                    httpStatus: outcome.response.status, message: "the server ignored the Range of a resumed download",
                    attempts: attempt)
                retryable = false
            case .success:
                failure = serviceError(outcome.response, request, attempts: attempt)
                retryable = Self.isRetryable(status: outcome.response.status, code: failure.code)
            case .failure(let error):
                failure = transportError(error, request, attempts: attempt)
                retryable = error.isTransient
            }
            guard retryable, let pause = policy.pause(afterAttempt: attempt, since: budgetStart) else {
                channel.finish(throwing: failure)
                return
            }
            do {
                try await retry(after: pause)
            } catch {
                channel.cancel()
                return
            }
        }
    }

    /// The result of one blocking download attempt.
    struct Attempt: Sendable {
        var result: Result<Void, CurlError>
        var response: S3Response
        /// Body bytes handed to the channel during this attempt.
        var delivered: Int64
        /// A resumed request got a 200 (whole object) instead of 206.
        var rangeIgnored: Bool
    }

    private func downloadAttempt(
        _ request: S3Request, credentials: S3Credentials, resuming: Bool, chunkSize: Int, channel: S3ByteChannel,
        isCancelled: @escaping @Sendable () -> Bool
    ) -> Attempt {
        let exchange = S3Exchange(bodyLimit: 0)
        var pending: [UInt8] = []
        pending.reserveCapacity(chunkSize)
        var delivered: Int64 = 0
        var rangeIgnored = false
        func flush() -> Bool {
            guard !pending.isEmpty else { return true }
            guard channel.send(pending) else { return false }
            delivered += Int64(pending.count)
            pending = []
            pending.reserveCapacity(chunkSize)
            return true
        }
        let result: Result<Void, CurlError>
        do throws(CurlError) {
            try perform(
                request, credentials: credentials, exchange: exchange,
                isCancelled: { isCancelled() || channel.isCancelled },
                receive: { status, chunk in
                    if resuming && status != 206 {
                        rangeIgnored = true
                        return .abort
                    }
                    pending.append(contentsOf: chunk)
                    if pending.count >= chunkSize, !flush() { return .abort }
                    return .consumed
                })
            result = .success(())
        } catch {
            result = .failure(error)
        }
        // Bytes received before a failure are valid: deliver them so a resume continues after them.
        if !rangeIgnored { _ = flush() }
        return Attempt(result: result, response: exchange.response, delivered: delivered, rangeIgnored: rangeIgnored)
    }
}
