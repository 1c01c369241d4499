/// What a read handler tells curl after it was asked for request body bytes.
public enum CurlReadResult: Sendable {
    /// `count` bytes were written into the buffer; `0` means the body is complete.
    case bytes(Int)
    /// Stop the transfer (`CURL_READFUNC_ABORT`).
    case abort
}
