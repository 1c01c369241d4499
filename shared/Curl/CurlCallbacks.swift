/// The Swift handlers of one easy handle. The handle passes this object, unretained, as the
/// `userdata` of every C callback; the handle keeps it alive for its own lifetime.
final class CurlCallbacks {
    var write: ((UnsafeRawBufferPointer) -> CurlWriteResult)?
    var read: ((UnsafeMutableRawBufferPointer) -> CurlReadResult)?
    var header: ((UnsafeRawBufferPointer) -> Void)?
    var progress: (() -> Bool)?
    var seek: ((Int64) -> Bool)?

    func clear() {
        write = nil
        read = nil
        header = nil
        progress = nil
        seek = nil
    }

    var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ context: UnsafeMutableRawPointer?) -> CurlCallbacks {
        Unmanaged<CurlCallbacks>.fromOpaque(context!).takeUnretainedValue()
    }
}

/// What a read handler tells curl after it was asked for request body bytes.
public enum CurlReadResult: Sendable {
    /// `count` bytes were written into the buffer; `0` means the body is complete.
    case bytes(Int)
    /// Stop the transfer (`CURL_READFUNC_ABORT`).
    case abort
}

/// What a write handler tells curl after receiving a chunk of the response body.
public enum CurlWriteResult: Sendable {
    /// The chunk was taken; continue the transfer.
    case consumed
    /// Stop the transfer; `perform()` then throws a ``CurlError`` with ``CurlError/isAbortedByCallback``.
    case abort
}
