import CZstd

/// Compresses a stream into one zstd frame (`ZSTD_compressStream2`), chunk by chunk.
///
/// Feed input with ``compress(_:appendingTo:)`` and end the frame once with
/// ``finish(appendingTo:)``. Memory is the compression context (a few MiB at low levels) and a
/// `ZSTD_CStreamOutSize()` scratch buffer. CPU-bound and never blocking: callers run it where they
/// run their other CPU work. Not `Sendable`: one stream, one task.
public final class ZstdEncoder {
    private let context: OpaquePointer
    private var scratch: [UInt8]

    /// `level`: zstd's compression level (1 is its fastest standard level).
    public init(level: Int32 = 1) throws {
        guard let context = ZSTD_createCCtx() else { throw ZstdError("ZSTD_createCCtx", message: "out of memory") }
        self.context = context
        self.scratch = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
        _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level), "set level \(level)")
        _ = try ZstdError.check(ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1), "enable checksum")
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input`, appending whatever compressed bytes are ready to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout [UInt8]) throws {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while source.pos < source.size {
            _ = try drain(&source, ZSTD_e_continue, into: &output)
        }
    }

    /// Compresses `input` (an array), appending to `output`.
    public func compress(_ input: [UInt8], appendingTo output: inout [UInt8]) throws {
        try input.withUnsafeBytes { (bytes) in try compress(bytes, appendingTo: &output) }
    }

    /// Compresses `input` into one whole frame.
    public static func compress(_ input: [UInt8], level: Int32 = 1) throws -> [UInt8] {
        let encoder = try ZstdEncoder(level: level)
        var output: [UInt8] = []
        try encoder.compress(input, appendingTo: &output)
        try encoder.finish(appendingTo: &output)
        return output
    }

    /// Ends the frame: appends the buffered data, the epilogue and the checksum to `output`.
    /// The encoder can then start a new frame.
    public func finish(appendingTo output: inout [UInt8]) throws {
        var source = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        while try drain(&source, ZSTD_e_end, into: &output) != 0 {}
    }

    /// One `ZSTD_compressStream2` call into the scratch buffer, appended to `output`; returns
    /// libzstd's "bytes left to flush" (0 once a flush or the frame's end is complete).
    private func drain(_ source: inout ZSTD_inBuffer, _ directive: ZSTD_EndDirective, into output: inout [UInt8]) throws -> Int {
        let capacity = scratch.count
        let (remaining, written) = try scratch.withUnsafeMutableBytes { (buffer) -> (Int, Int) in
            var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: capacity, pos: 0)
            let remaining = try ZstdError.check(ZSTD_compressStream2(context, &target, &source, directive), "compress")
            return (remaining, target.pos)
        }
        output.append(contentsOf: scratch[0..<written])
        return remaining
    }
}
