extension S3Client {
    /// Uploads a stream of byte chunks. A stream that ends below the multipart threshold is
    /// sent with one PUT; a longer one as a multipart upload whose parts go up while the next
    /// fills, up to `partsInFlight` at once (a server that handles each request on one core gets
    /// several). Part buffers are recycled, so memory stays near `partsInFlight + 1` parts (plus
    /// a threshold-sized buffer when the threshold exceeds the part size). Each part is retried on
    /// its own; on failure or cancellation the multipart upload is aborted.
    @discardableResult
    public func putObject<Chunks: AsyncSequence>(
        bucket: String, key: String, chunks: Chunks, contentType: String = "application/octet-stream",
        partsInFlight: Int = 1
    ) async throws -> S3PutResult where Chunks.Element: Collection<UInt8> {
        try Self.validate(contentType: contentType)
        var reader = S3ChunkReader(chunks.makeAsyncIterator())
        let head = S3PartBuffer(capacity: configuration.multipartThreshold)
        try await reader.fill(head, to: head.capacity)
        if !reader.hasMore {
            return try await putObject(bucket: bucket, key: key, body: .part(head), contentType: contentType)
        }
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key, contentType: contentType)
        do {
            let (parts, size) = try await uploadParts(
                bucket: bucket, key: key, uploadID: uploadID, head: head, reader: &reader, partsInFlight: max(1, partsInFlight))
            let eTag = try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts, size: size)
            return S3PutResult(eTag: eTag, size: size, parts: parts.count)
        } catch {
            // An unstructured task: the abort must run even when this task was cancelled.
            let client = self
            await Task { try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID) }.value
            throw error
        }
    }

    /// Sends the bytes of `head`, then the rest of the stream, as parts: up to `partsInFlight`
    /// in flight while the next fills, a finished part's buffer reused for a later one.
    private func uploadParts<Source: AsyncIteratorProtocol>(
        bucket: String, key: String, uploadID: String, head: S3PartBuffer, reader: inout S3ChunkReader<Source>,
        partsInFlight: Int
    ) async throws -> (parts: [(Int, String)], size: Int64) where Source.Element: Collection<UInt8> {
        let partSize = configuration.partSize
        var size: Int64 = 0
        var partNumber = 0
        return try await withThrowingTaskGroup(of: (Int, String, S3PartBuffer).self) { group in
            var parts: [(Int, String)] = []
            var spare: [S3PartBuffer] = []
            var inFlight = 0
            /// Starts uploading `part` once fewer than `partsInFlight` uploads run, keeping the
            /// buffer of the one it waited for.
            func submit(_ part: S3PartBuffer) async throws {
                if inFlight >= partsInFlight, let (number, eTag, buffer) = try await group.next() {
                    parts.append((number, eTag))
                    spare.append(buffer)
                    inFlight -= 1
                }
                partNumber += 1
                guard partNumber <= S3Configuration.maximumParts else {
                    throw S3Error(
                        kind: .invalidRequest, operation: .uploadPart, bucket: bucket, key: key,
                        message: "the stream needs more than \(S3Configuration.maximumParts) parts of \(partSize) bytes")
                }
                size += Int64(part.count)
                let number = partNumber
                group.addTask {
                    let eTag = try await self.uploadPart(bucket: bucket, key: key, uploadID: uploadID, number: number, part: part)
                    return (number, eTag, part)
                }
                inFlight += 1
            }
            func emptyBuffer() -> S3PartBuffer {
                guard let buffer = spare.popLast() else { return S3PartBuffer(capacity: partSize) }
                buffer.removeAll()
                return buffer
            }

            // With the threshold equal to the part size the head is the first part; else its
            // bytes are copied into parts and it is released.
            var headOffset = 0
            var current = head.capacity == partSize ? head : emptyBuffer()
            if current !== head {
                while headOffset < head.count {
                    let take = min(partSize - current.count, head.count - headOffset)
                    current.append(UnsafeRawBufferPointer(rebasing: head.bytes[headOffset..<(headOffset + take)]))
                    headOffset += take
                    if current.count == partSize, headOffset < head.count || reader.hasMore {
                        try await submit(current)
                        current = emptyBuffer()
                    }
                }
            }
            while true {
                try await reader.fill(current, to: partSize)
                if current.count == 0 { break }
                try await submit(current)
                if !reader.hasMore { break }
                current = emptyBuffer()
            }
            while let (number, eTag, _) = try await group.next() { parts.append((number, eTag)) }
            return (parts.sorted { $0.0 < $1.0 }, size)
        }
    }

    private func createMultipartUpload(bucket: String, key: String, contentType: String) async throws -> String {
        let request = S3Request(
            .createMultipartUpload, .post, bucket: bucket, key: key, query: [("uploads", "")], contentType: contentType)
        let response = try await transport.send(request)
        guard let document = try? XMLScanner.parse(response.body), let uploadID = document.text(of: "UploadId"),
            !uploadID.isEmpty
        else {
            throw S3Error(
                kind: .invalidResponse, operation: .createMultipartUpload, bucket: bucket, key: key,
                httpStatus: response.status, message: "no UploadId in the answer")
        }
        return uploadID
    }

    private func uploadPart(bucket: String, key: String, uploadID: String, number: Int, part: S3PartBuffer) async throws -> String {
        let request = S3Request(
            .uploadPart, .put, bucket: bucket, key: key, query: [("partNumber", String(number)), ("uploadId", uploadID)],
            body: .part(part))
        let response = try await transport.send(request)
        guard let eTag = response[header: "etag"] else {
            throw S3Error(
                kind: .invalidResponse, operation: .uploadPart, bucket: bucket, key: key, httpStatus: response.status,
                message: "no ETag for part \(number)")
        }
        return eTag
    }

    /// Completes the upload, retrying per the policy. `NoSuchUpload` may mean that an earlier send
    /// (ours, or curl's own resend on a reused connection) completed it and only the answer was
    /// lost: the object is then checked with HEAD (`size` bytes and the ETag these parts make,
    /// ``S3MultipartETag``) and its ETag returned; anything else fails the upload.
    private func completeMultipartUpload(
        bucket: String, key: String, uploadID: String, parts: [(Int, String)], size: Int64
    ) async throws -> String? {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (number, eTag) in parts {
            xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\(XMLScanner.escape(eTag))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let request = S3Request(
            .completeMultipartUpload, .post, bucket: bucket, key: key, query: [("uploadId", uploadID)],
            body: .bytes(Array(xml.utf8)), contentType: "application/xml")
        let policy = configuration.retryPolicy
        let start = ContinuousClock.now
        var attempt = 0
        while true {
            attempt += 1
            let response: S3Response
            do {
                response = try await transport.send(request)
            } catch let error as S3Error where error.code == "NoSuchUpload" {
                guard let info = try await headObject(bucket: bucket, key: key), info.size == size,
                    let eTag = info.eTag, Self.isCompletion(eTag, of: parts.map(\.1))
                else { throw error }
                return eTag
            }
            // CompleteMultipartUpload may answer 200 and then report an error in the body.
            let document = try? XMLScanner.parse(response.body)
            guard document?.name == "Error" else { return document?.text(of: "ETag") ?? response[header: "etag"] }
            let failure = transport.serviceError(response, request, attempts: attempt)
            guard S3Transport.isRetryable(status: response.status, code: failure.code),
                let pause = policy.pause(afterAttempt: attempt, since: start)
            else { throw failure }
            try await transport.retry(after: pause)
        }
    }

    /// Whether `eTag` is that of an object completed from parts with `partETags`: exactly, when
    /// they are MD5s; else by the part count.
    static func isCompletion(_ eTag: String, of partETags: [String]) -> Bool {
        if let expected = S3MultipartETag.expected(partETags: partETags) { return S3MultipartETag.same(eTag, expected) }
        return eTag.filter { $0 != "\"" }.hasSuffix("-\(partETags.count)")
    }

    private func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        _ = try await transport.send(
            S3Request(.abortMultipartUpload, .delete, bucket: bucket, key: key, query: [("uploadId", uploadID)]))
    }
}
