/// What a write handler tells curl after receiving a chunk of the response body.
public enum CurlWriteResult: Sendable {
    /// The chunk was taken; continue the transfer.
    case consumed
    /// Stop the transfer; `perform()` then throws a ``CurlError`` with ``CurlError/isAbortedByCallback``.
    case abort
}
