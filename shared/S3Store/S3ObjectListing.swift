/// The objects under a prefix, ascending, paged lazily through ListObjectsV2.
public struct S3ObjectListing: AsyncSequence, Sendable {
    public typealias Element = S3ObjectSummary

    let client: S3Client
    let bucket: String
    let prefix: String?
    let startAfter: String?
    let pageSize: Int

    public func makeAsyncIterator() -> Iterator {
        Iterator(listing: self)
    }

    /// Collects every entry.
    public func collect() async throws -> [S3ObjectSummary] {
        var all: [S3ObjectSummary] = []
        for try await object in self { all.append(object) }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        let listing: S3ObjectListing
        private var buffered: [S3ObjectSummary] = []
        private var index = 0
        private var token: String?
        private var exhausted = false

        init(listing: S3ObjectListing) {
            self.listing = listing
        }

        public mutating func next() async throws -> S3ObjectSummary? {
            while index == buffered.count {
                if exhausted { return nil }
                let isFirst = token == nil
                let page = try await listing.client.listObjectsPage(
                    bucket: listing.bucket, prefix: listing.prefix, startAfter: isFirst ? listing.startAfter : nil,
                    continuationToken: token, maxKeys: listing.pageSize)
                buffered = page.objects
                index = 0
                token = page.nextContinuationToken
                exhausted = token == nil
            }
            defer { index += 1 }
            return buffered[index]
        }
    }
}
