import CZstd

/// Decompresses a stream of zstd frames (`ZSTD_decompressStream`), whatever the chunk boundaries.
///
/// Each ``decompress(_:_:)`` call hands the decompressed bytes to `body` in slices of at most
/// `outputCapacity` bytes (at least `ZSTD_DStreamOutSize()`, 128 KiB); ``finish()`` throws if the
/// stream stopped inside a frame (a truncated object). Memory is the context (the frame's window,
/// a few MiB at low levels; libzstd refuses windows over 128 MiB) and the output buffer.
/// Not `Sendable`: one stream, one task.
public final class ZstdDecoder {
    private let context: OpaquePointer
    private var output: [UInt8]
    /// libzstd's last hint: 0 when the last frame fed so far is complete.
    private var pending = 0
    private var sawInput = false

    public init(outputCapacity: Int = 1 << 20) throws {
        guard let context = ZSTD_createDCtx() else { throw ZstdError("ZSTD_createDCtx", message: "out of memory") }
        self.context = context
        self.output = [UInt8](repeating: 0, count: max(outputCapacity, ZSTD_DStreamOutSize()))
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `input`; `body` sees each decompressed slice, valid only during the call.
    public func decompress(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !input.isEmpty else { return }
        sawInput = true
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        let capacity = output.count
        while true {
            let (hint, written) = try output.withUnsafeMutableBytes { (buffer) -> (Int, Int) in
                var target = ZSTD_outBuffer(dst: buffer.baseAddress, size: capacity, pos: 0)
                let hint = try ZstdError.check(ZSTD_decompressStream(context, &target, &source), "decompress")
                return (hint, target.pos)
            }
            pending = hint
            if written > 0 {
                try output.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<written])) }
            }
            // Done with this input once it is consumed and the output buffer was not filled
            // (a full buffer may mean more output is waiting inside the context).
            if source.pos == source.size && written < capacity { return }
        }
    }

    /// Decompresses `input` (an array).
    public func decompress(_ input: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try decompress($0, body) }
    }

    /// Decompresses a whole object held in memory.
    public static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        let decoder = try ZstdDecoder()
        var output: [UInt8] = []
        try decoder.decompress(input) { output.append(contentsOf: $0) }
        try decoder.finish()
        return output
    }

    /// Checks that the stream ended at a frame boundary, and was not empty.
    public func finish() throws {
        guard sawInput else { throw ZstdError("finish", message: "empty stream: no zstd frame") }
        guard pending == 0 else { throw ZstdError("finish", message: "truncated stream: the last frame is incomplete") }
    }
}
