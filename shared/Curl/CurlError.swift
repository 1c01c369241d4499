import CCurl

/// A libcurl failure: the `CURLcode`, its `curl_easy_strerror` text and the handle's
/// `CURLOPT_ERRORBUFFER` detail, plus where it was raised.
public struct CurlError: Error, Sendable, CustomStringConvertible {
    /// The raw `CURLcode`.
    public let code: Int
    /// `curl_easy_strerror(code)`.
    public let message: String
    /// The handle's error buffer text (may be empty). Never contains credentials.
    public let detail: String
    public let fileID: String
    public let line: Int

    init(code: CURLcode, detail: String, fileID: String = #fileID, line: Int = #line) {
        self.code = Int(code.rawValue)
        self.message = String(cString: curl_easy_strerror(code))
        self.detail = detail
        self.fileID = fileID
        self.line = line
    }

    /// The message with the handle's detail when it adds something: `message: detail`.
    public var summary: String { detail.isEmpty || detail == message ? message : "\(message): \(detail)" }

    public var description: String { "curl error \(code): \(summary) (\(fileID):\(line))" }

    /// The transfer was stopped by one of our callbacks (write, read or progress abort).
    public var isAbortedByCallback: Bool {
        code == Int(CURLE_ABORTED_BY_CALLBACK.rawValue) || code == Int(CURLE_WRITE_ERROR.rawValue)
            || code == Int(CURLE_READ_ERROR.rawValue)
    }

    /// The connection could not be established (refused, unreachable, DNS failure).
    public var isConnectFailure: Bool {
        [CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY]
            .contains { Int($0.rawValue) == code }
    }

    /// A failure worth retrying: connection problems, timeouts, a connection cut mid-transfer.
    public var isTransient: Bool {
        let transient: [CURLcode] = [
            CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY,
            CURLE_OPERATION_TIMEDOUT, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING,
            CURLE_PARTIAL_FILE, CURLE_SSL_CONNECT_ERROR, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_WEIRD_SERVER_REPLY,
        ]
        return transient.contains { Int($0.rawValue) == code }
    }
}
