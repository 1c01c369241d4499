import S3Store
import Testing

@Suite("S3 listing", .s3Bucket("listing"), .timeLimit(.minutes(3)))
struct S3ListingTests {
    @Test func listsMoreThanAThousandKeysExactlyOnceInOrder() async throws {
        let client = try S3TestEnvironment.load().client()
        let bucket = try S3BucketTrait.current()
        let keys = (0..<1_001).map { "many/key-\(String($0 * 7919 % 1_001))" }
        try await forEach(keys + ["outside/prefix"], concurrency: 16) { key in
            try await client.putObject(bucket: bucket, key: key, bytes: Array(key.utf8))
        }

        let listed = try await client.listObjects(bucket: bucket, prefix: "many/", pageSize: 300).collect().map(\.key)
        #expect(listed.count == 1_001)
        #expect(listed == keys.sorted())
        #expect(Set(listed).count == 1_001)

        let firstPage = try await client.listObjectsPage(bucket: bucket, prefix: "many/", maxKeys: 300)
        #expect(firstPage.objects.count == 300)
        #expect(firstPage.nextContinuationToken != nil)

        try #require(listed.count == 1_001)
        let afterPage = try await client.listObjects(bucket: bucket, prefix: "many/", startAfter: listed[990]).collect()
        #expect(afterPage.map(\.key) == Array(listed[991...]))

        let everything = try await client.listObjects(bucket: bucket).collect().map(\.key)
        #expect(everything.count == 1_002)
        #expect(everything.last == "outside/prefix")

        let grouped = try await client.listObjectsPage(bucket: bucket, delimiter: "/")
        #expect(grouped.commonPrefixes == ["many/", "outside/"])
    }
}
