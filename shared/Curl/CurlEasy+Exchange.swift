extension CurlEasy {
    /// One small HTTP exchange with the whole body in memory: for control endpoints, health checks
    /// and metadata services, not for bulk transfers. Blocks: call it from a blocking thread.
    /// `direct` ignores any proxy from the environment, as link-local metadata endpoints need.
    public func exchange(
        _ url: String,
        method: CurlHTTPMethod = .get,
        body: [UInt8] = [],
        headers: [String] = [],
        timeout: Duration = .seconds(10),
        direct: Bool = false
    ) throws(CurlError) -> CurlHTTPResponse {
        try reset()
        try setURL(url)
        if direct { try setNoProxy("*") }
        try setMethod(method, bodySize: Int64(body.count))
        try setHeaders(headers)
        try setConnectTimeout(timeout)
        try setTimeout(timeout)
        var offset = 0
        onRead { buffer in
            let count = min(buffer.count, body.count - offset)
            if count > 0 {
                body.withUnsafeBytes { source in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
                }
            }
            offset += count
            return .bytes(count)
        }
        var received: [UInt8] = []
        onWrite { chunk in
            received.append(contentsOf: chunk)
            return .consumed
        }
        var lines: [String] = []
        onHeader { line in
            let text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("HTTP/") {
                lines.removeAll()  // a new response (after 100 Continue or a redirect)
            } else if text.contains(":") {
                lines.append(String(text.prefix(while: { !$0.isNewline })))
            }
        }
        defer {
            onRead(nil)
            onWrite(nil)
            onHeader(nil)
        }
        let status = try perform()
        return CurlHTTPResponse(status: status, headers: lines, body: received)
    }
}
