import S3Store
import Testing

/// Gives a suite its own freshly created bucket (``S3BucketTrait/bucket``) and empties and
/// deletes it when the suite ends.
struct S3BucketTrait: SuiteTrait, TestScoping {
    @TaskLocal static var bucket: String?

    let prefix: String

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void)
        async throws
    {
        let environment = try S3TestEnvironment.load()
        let client = try environment.client()
        let bucket = S3TestEnvironment.randomBucketName(prefix)
        try await client.createBucket(bucket)
        do {
            try await Self.$bucket.withValue(bucket) { try await function() }
        } catch {
            try? await Self.removeBucket(bucket, client: client)
            throw error
        }
        try await Self.removeBucket(bucket, client: client)
    }

    /// Deletes every object (16 at a time), then the bucket.
    static func removeBucket(_ bucket: String, client: S3Client) async throws {
        let keys = try await client.listObjects(bucket: bucket).collect().map(\.key)
        try await forEach(keys, concurrency: 16) { key in try await client.deleteObject(bucket: bucket, key: key) }
        try await client.deleteBucket(bucket)
    }

    /// The current suite's bucket; fails the test when used outside an `S3BucketTrait` suite.
    static func current() throws -> String {
        try #require(bucket, "the suite needs the .s3Bucket trait")
    }
}

extension Trait where Self == S3BucketTrait {
    /// A fresh bucket for this suite, named `<prefix>-<random>`.
    static func s3Bucket(_ prefix: String) -> Self { S3BucketTrait(prefix: prefix) }
}

/// Runs `body` for every element with at most `concurrency` running at once.
func forEach<Element: Sendable>(
    _ elements: [Element], concurrency: Int, _ body: @escaping @Sendable (Element) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var iterator = elements.makeIterator()
        for _ in 0..<concurrency {
            guard let element = iterator.next() else { break }
            group.addTask { try await body(element) }
        }
        while try await group.next() != nil {
            if let element = iterator.next() { group.addTask { try await body(element) } }
        }
    }
}
