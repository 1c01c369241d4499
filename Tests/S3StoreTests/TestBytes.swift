#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic test content: byte `i` of every test object is `TestBytes.byte(at: i)`,
/// so any slice can be recomputed without keeping the object.
///
/// The content repeats with a prime period of about 1 MiB, so slices are built and checked with
/// `memcpy`/`memcmp` from one precomputed period: tens of MiB cost milliseconds even in a debug
/// build, instead of seconds of CPU on the thread of the test's task. The period shares no
/// factor with the part and chunk sizes the tests use, so a part or chunk that is repeated,
/// dropped or misplaced changes the content.
enum TestBytes {
    static let period = 1_048_573

    /// One period of the content.
    private static let pattern: [UInt8] = [UInt8](unsafeUninitializedCapacity: period) { buffer, count in
        for index in 0..<period {
            buffer[index] = UInt8(truncatingIfNeeded: (index &* 2_654_435_761) >> 11 ^ index)
        }
        count = period
    }

    static func byte(at index: Int) -> UInt8 { pattern[index % period] }

    static func bytes(_ range: Range<Int>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: range.count) { buffer, count in
            forEachSegment(of: range) { destination, source in
                UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[destination])).copyMemory(from: source)
            }
            count = range.count
        }
    }

    /// Whether `bytes` is exactly the content at `range` (a failure message shows only the sizes,
    /// never MiB of bytes).
    static func matches(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        guard bytes.count == range.count else { return false }
        return bytes.withUnsafeBytes { actual in
            var equal = true
            forEachSegment(of: range) { destination, source in
                if equal, memcmp(actual.baseAddress! + destination.lowerBound, source.baseAddress!, source.count) != 0 {
                    equal = false
                }
            }
            return equal
        }
    }

    /// Calls `body` with each piece of `range` that lies within one period: its place in the
    /// slice and the pattern's bytes for it.
    private static func forEachSegment(of range: Range<Int>, _ body: (Range<Int>, UnsafeRawBufferPointer) -> Void) {
        pattern.withUnsafeBytes { pattern in
            var offset = range.lowerBound
            while offset < range.upperBound {
                let start = offset % period
                let count = Swift.min(range.upperBound - offset, period - start)
                let destination = (offset - range.lowerBound)..<(offset - range.lowerBound + count)
                body(destination, UnsafeRawBufferPointer(rebasing: pattern[start..<(start + count)]))
                offset += count
            }
        }
    }

    /// `total` bytes as an async sequence of `chunkSize`-byte chunks (the last may be shorter).
    static func chunks(total: Int, chunkSize: Int) -> Chunks { Chunks(total: total, chunkSize: chunkSize) }

    struct Chunks: AsyncSequence, Sendable {
        let total: Int
        let chunkSize: Int

        func makeAsyncIterator() -> Iterator { Iterator(total: total, chunkSize: chunkSize) }

        struct Iterator: AsyncIteratorProtocol {
            let total: Int
            let chunkSize: Int
            var offset = 0

            mutating func next() async -> [UInt8]? {
                guard offset < total else { return nil }
                let end = Swift.min(total, offset + chunkSize)
                defer { offset = end }
                return TestBytes.bytes(offset..<end)
            }
        }
    }
}
