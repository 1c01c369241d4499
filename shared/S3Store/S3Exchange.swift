/// The state of one attempt on the blocking thread, filled by curl's header and write
/// callbacks and readable after `perform()` whether or not it succeeded.
final class S3Exchange {
    var response = S3Response()
    /// Bytes handed to the streaming receiver (2xx bodies only).
    var streamedBytes: Int64 = 0
    /// Error bodies (and buffered bodies) are cut at this size.
    let bodyLimit: Int

    init(bodyLimit: Int) {
        self.bodyLimit = bodyLimit
    }
}
