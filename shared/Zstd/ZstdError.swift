import CZstd

/// A libzstd failure: the operation and `ZSTD_getErrorName`'s text, or a stream that ended
/// inside a frame.
public struct ZstdError: Error, Sendable, Hashable, CustomStringConvertible {
    public let operation: String
    public let message: String

    init(_ operation: String, message: String) {
        self.operation = operation
        self.message = message
    }

    /// Throws when `result` (a `size_t` from libzstd) is an error code.
    @inline(__always)
    static func check(_ result: Int, _ operation: @autoclosure () -> String) throws(ZstdError) -> Int {
        if ZSTD_isError(result) != 0 {
            throw ZstdError(operation(), message: String(cString: ZSTD_getErrorName(result)))
        }
        return result
    }

    public var description: String { "zstd \(operation): \(message)" }
}
