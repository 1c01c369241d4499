import Foundation

/// A local file read as a sequence of 1 MiB chunks, for streamed uploads.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]

    let path: String
    var chunkSize = 1 << 20

    func makeAsyncIterator() -> Iterator {
        Iterator(handle: FileHandle(forReadingAtPath: path), path: path, chunkSize: chunkSize)
    }

    struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        let path: String
        let chunkSize: Int

        mutating func next() async throws -> [UInt8]? {
            guard let handle else { throw IngestError.rawInputNotFound(key: path) }
            guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
                try handle.close()
                return nil
            }
            return Array(data)
        }
    }
}
