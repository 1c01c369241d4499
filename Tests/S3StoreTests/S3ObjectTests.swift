import AdrecsTestSupport
import S3Store
import Testing

@Suite("S3 objects", .s3Bucket("objects"), .offThePool, .timeLimit(.minutes(3)))
struct S3ObjectTests {
    let client: S3Client
    let bucket: String

    init() throws {
        client = try S3TestEnvironment.load().client()
        bucket = try S3BucketTrait.current()
    }

    @Test func streamedMultipartUploadRoundTrips() async throws {
        let partSize = 5 * 1024 * 1024
        let total = 3 * partSize + 123_457
        let key = "multipart/object.bin"
        let result = try await client.putObject(
            bucket: bucket, key: key, chunks: TestBytes.chunks(total: total, chunkSize: 1_000_003))
        #expect(result.parts == 4)
        #expect(result.size == Int64(total))
        #expect(result.eTag?.hasSuffix("-4\"") == true)

        let info = try #require(try await client.headObject(bucket: bucket, key: key))
        #expect(info.size == Int64(total))
        #expect(info.eTag == result.eTag)

        let whole = try await client.getObject(bucket: bucket, key: key)
        #expect(whole.count == total)
        #expect(TestBytes.matches(whole, 0..<total))

        var streamed: [UInt8] = []
        var largestChunk = 0
        for try await chunk in client.getObjectStream(bucket: bucket, key: key) {
            largestChunk = max(largestChunk, chunk.count)
            streamed.append(contentsOf: chunk)
        }
        #expect(TestBytes.matches(streamed, 0..<total))
        #expect(largestChunk <= 512 * 1024)

        // A range across the first part boundary, whole and streamed.
        let range: ClosedRange<Int64> = Int64(partSize - 10)...Int64(partSize + 20)
        let slice = (partSize - 10)..<(partSize + 21)
        #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: key, range: range), slice))
        #expect(TestBytes.matches(try await client.getObjectStream(bucket: bucket, key: key, range: range).collect(), slice))
        let tail = try await client.getObject(bucket: bucket, key: key, range: Int64(total - 5)...Int64(total - 1))
        #expect(TestBytes.matches(tail, (total - 5)..<total))
    }

    @Test(arguments: [2, 4])
    func partsInFlightRoundTrip(partsInFlight: Int) async throws {
        let total = 9 * 5 * 1024 * 1024 + 4_321
        let key = "inflight/\(partsInFlight).bin"
        let result = try await client.putObject(
            bucket: bucket, key: key, chunks: TestBytes.chunks(total: total, chunkSize: 777_777), partsInFlight: partsInFlight)
        #expect(result.parts == 10)
        #expect(result.size == Int64(total))
        #expect(result.eTag?.hasSuffix("-10\"") == true)
        #expect(TestBytes.matches(try await client.getObjectStream(bucket: bucket, key: key).collect(), 0..<total))
    }

    @Test func thresholdAbovePartSizeSplitsTheHead() async throws {
        let environment = try S3TestEnvironment.load()
        let mebibyte = 1024 * 1024
        let client = try S3Client(
            configuration: S3Configuration(
                endpoint: environment.endpoint, region: environment.region,
                credentials: S3StaticCredentialsProvider(
                    accessKeyID: environment.accessKeyID, secretAccessKey: environment.secretAccessKey),
                partSize: 5 * mebibyte, multipartThreshold: 11 * mebibyte))
        let total = 16 * mebibyte + 7
        let result = try await client.putObject(
            bucket: bucket, key: "split/head.bin", chunks: TestBytes.chunks(total: total, chunkSize: 3 * mebibyte + 1))
        #expect(result.parts == 4)
        #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: "split/head.bin"), 0..<total))
    }

    @Test(arguments: [0, 1, 1024 * 1024, 5 * 1024 * 1024 - 1])
    func streamBelowTheThresholdUsesOnePut(size: Int) async throws {
        let key = "single/\(size).bin"
        let result = try await client.putObject(
            bucket: bucket, key: key, chunks: TestBytes.chunks(total: size, chunkSize: 65_536), contentType: "application/x-test")
        #expect(result.parts == 0)
        #expect(result.size == Int64(size))
        let info = try #require(try await client.headObject(bucket: bucket, key: key))
        #expect(info.size == Int64(size))
        #expect(info.contentType == "application/x-test")
        #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: key), 0..<size))
    }

    @Test func streamOfExactlyOnePartUsesMultipart() async throws {
        let size = 5 * 1024 * 1024
        let result = try await client.putObject(
            bucket: bucket, key: "exact/part.bin", chunks: TestBytes.chunks(total: size, chunkSize: 1024 * 1024))
        #expect(result.parts == 1)
        #expect(TestBytes.matches(try await client.getObject(bucket: bucket, key: "exact/part.bin"), 0..<size))
    }

    @Test(arguments: [
        "dt=2024-11-20/a b+c.csv",
        "unicode/ünïcødé – 日本語 😀.txt",
        "punct/!$&'()*,;=@:[]{}^`|~%.bin",
        "plus+and%2Fescaped?query#hash.txt",
    ])
    func keysNeedingEncodingRoundTrip(key: String) async throws {
        let payload = Array("payload of \(key)".utf8)
        try await client.putObject(bucket: bucket, key: key, bytes: payload, contentType: "text/plain; charset=utf-8")

        let listed = try await client.listObjects(bucket: bucket, prefix: key).collect()
        #expect(listed.map(\.key) == [key])
        #expect(listed.first?.size == Int64(payload.count))

        #expect(try await client.getObject(bucket: bucket, key: key) == payload)
        #expect(try await client.getObjectStream(bucket: bucket, key: key).collect() == payload)
    }

    @Test func deletedObjectIsNotFound() async throws {
        let key = "delete/me.txt"
        try await client.putObject(bucket: bucket, key: key, bytes: Array("x".utf8))
        #expect(try await client.headObject(bucket: bucket, key: key) != nil)
        try await client.deleteObject(bucket: bucket, key: key)

        let error = try await #require(throws: S3Error.self) { try await client.getObject(bucket: bucket, key: key) }
        #expect(error.code == "NoSuchKey")
        #expect(error.httpStatus == 404)
        #expect(error.isNotFound)
        #expect(error.attempts == 1)
        #expect(error.description.contains("NoSuchKey"))
        #expect(error.description.contains("s3://\(bucket)/\(key)"))
        #expect(try await client.headObject(bucket: bucket, key: key) == nil)

        let streamError = try await #require(throws: S3Error.self) {
            try await client.getObjectStream(bucket: bucket, key: key).collect()
        }
        #expect(streamError.code == "NoSuchKey")
    }

    @Test func bucketExistence() async throws {
        #expect(try await client.bucketExists(bucket))
        #expect(try await !client.bucketExists(S3TestEnvironment.randomBucketName("absent")))
    }

    @Test func abandonedStreamDoesNotBlockTheClient() async throws {
        let size = 6 * 1024 * 1024
        let key = "abandon/big.bin"
        try await client.putObject(bucket: bucket, key: key, bytes: TestBytes.bytes(0..<size))
        for _ in 0..<3 {
            var iterator = client.getObjectStream(bucket: bucket, key: key).makeAsyncIterator()
            let first = try #require(try await iterator.next())
            #expect(TestBytes.matches(first, 0..<first.count))
        }
        #expect(try await client.getObject(bucket: bucket, key: key, range: 0...3) == TestBytes.bytes(0..<4))
    }

    @Test func manyOpenStreamsDoNotStarveOtherRequests() async throws {
        let size = 3 * 1024 * 1024
        let key = "open/streams.bin"
        try await client.putObject(bucket: bucket, key: key, bytes: TestBytes.bytes(0..<size))
        // Eight downloads, each parked on a full buffer while their consumer waits.
        var iterators: [S3ObjectStream.Iterator] = []
        for _ in 0..<8 {
            var iterator = client.getObjectStream(bucket: bucket, key: key).makeAsyncIterator()
            _ = try #require(try await iterator.next())
            iterators.append(iterator)
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await client.getObject(bucket: bucket, key: key, range: 10...19) == TestBytes.bytes(10..<20))
        for index in iterators.indices {
            var total = 0
            while let chunk = try await iterators[index].next() { total += chunk.count }
            #expect(total > 0)
        }
    }
}
