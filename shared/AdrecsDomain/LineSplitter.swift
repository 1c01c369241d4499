/// Cuts a stream of byte chunks into lines, whatever the chunk boundaries.
///
/// A line ends at LF; a CR just before the LF (or at the very end of the stream) belongs to the
/// line ending and is not part of the line. A last line without LF is still a line; a final LF
/// does not start another one. Lines are numbered from 1 (the header is line 1).
/// Only a line that spans chunks is copied; memory is bounded by the longest line.
public struct LineSplitter: Sendable {
    private var carry: [UInt8] = []
    /// The number of the last line delivered.
    public private(set) var lineCount: Int = 0

    public init() {}

    /// Delivers every line completed by `chunk`, with its 1-based number. The line bytes are
    /// valid only during the call of `body`.
    @inline(__always)
    public mutating func feed(
        _ chunk: UnsafeRawBufferPointer,
        _ body: (_ line: UnsafeRawBufferPointer, _ number: Int) throws -> Void
    ) rethrows {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let end = chunk.count
        var start = 0
        if !carry.isEmpty {
            let newline = ByteSearch.firstIndex(of: UInt8(ascii: "\n"), in: base, from: 0, to: end)
            carry.append(contentsOf: UnsafeRawBufferPointer(start: base, count: newline))
            guard newline < end else { return }
            lineCount += 1
            try carry.withUnsafeBytes { try body(Self.trimmingCR($0), lineCount) }
            carry.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        while start < end {
            let newline = ByteSearch.firstIndex(of: UInt8(ascii: "\n"), in: base, from: start, to: end)
            guard newline < end else {
                carry.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: end - start))
                return
            }
            lineCount += 1
            try body(Self.trimmingCR(UnsafeRawBufferPointer(start: base + start, count: newline - start)), lineCount)
            start = newline + 1
        }
    }

    /// Feeds a chunk given as an array.
    public mutating func feed(
        _ chunk: [UInt8],
        _ body: (_ line: UnsafeRawBufferPointer, _ number: Int) throws -> Void
    ) rethrows {
        try chunk.withUnsafeBytes { try feed($0, body) }
    }

    /// Delivers the last line when the stream did not end with LF. Call once, at the end.
    public mutating func finish(_ body: (_ line: UnsafeRawBufferPointer, _ number: Int) throws -> Void) rethrows {
        guard !carry.isEmpty else { return }
        lineCount += 1
        try carry.withUnsafeBytes { try body(Self.trimmingCR($0), lineCount) }
        carry.removeAll()
    }

    @inline(__always)
    static func trimmingCR(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let last = line.last, last == UInt8(ascii: "\r") else { return line }
        return UnsafeRawBufferPointer(rebasing: line.dropLast())
    }
}
