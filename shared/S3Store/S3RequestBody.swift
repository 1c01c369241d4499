/// A request body, kept whole so every attempt can resend it.
enum S3RequestBody: Sendable {
    case none
    case bytes([UInt8])
    /// A filled part buffer; the request must finish before the buffer is refilled.
    case part(S3PartBuffer)

    var count: Int {
        switch self {
        case .none: 0
        case .bytes(let bytes): bytes.count
        case .part(let buffer): buffer.count
        }
    }

    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .none: body(UnsafeRawBufferPointer(start: nil, count: 0))
        case .bytes(let bytes): bytes.withUnsafeBytes(body)
        case .part(let buffer): body(buffer.bytes)
        }
    }
}
