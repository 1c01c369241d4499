import AdrecsConcurrency
import CCurl

/// Owns one curl easy handle (`curl_easy_cleanup` in `deinit`), with typed option setters
/// and Swift write, read, header and progress handlers.
///
/// Not `Sendable`: libcurl allows a handle on any thread but only one thread at a time.
/// Handles keep their connection cache across ``reset()``, so reusing one (see
/// ``CurlHandlePool``) reuses connections.
public final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let callbacks = CurlCallbacks()
    private var headerList: CurlHeaderList?

    public init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw CurlError(code: CURLE_FAILED_INIT, detail: "curl_easy_init returned NULL")
        }
        self.handle = handle
        self.errorBuffer = .allocate(capacity: ccurl_error_size)
        errorBuffer.initialize(repeating: 0, count: ccurl_error_size)
        try applyBaseline()
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The libcurl version string.
    public static var libraryVersion: String { CurlGlobal.version }

    /// Clears every option and handler (`curl_easy_reset`); open connections stay cached.
    public func reset() throws(CurlError) {
        curl_easy_reset(handle)
        callbacks.clear()
        headerList = nil
        try applyBaseline()
    }

    private func applyBaseline() throws(CurlError) {
        errorBuffer[0] = 0
        try check(ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        let context = callbacks.context
        try check(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        try check(ccurl_setopt_data_cb(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let total = size * count
            guard let handler = CurlCallbacks.from(context).write else { return total }
            switch handler(UnsafeRawBufferPointer(start: data, count: total)) {
            case .consumed: return total
            case .abort: return total == 0 ? 1 : 0
            }
        })
        try check(ccurl_setopt_pointer(handle, CURLOPT_READDATA, context))
        try check(ccurl_setopt_data_cb(handle, CURLOPT_READFUNCTION) { data, size, count, context in
            guard let handler = CurlCallbacks.from(context).read else { return 0 }
            switch handler(UnsafeMutableRawBufferPointer(start: data, count: size * count)) {
            case .bytes(let written): return written
            case .abort: return ccurl_readfunc_abort
            }
        })
        try check(ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        try check(ccurl_setopt_data_cb(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let total = size * count
            CurlCallbacks.from(context).header?(UnsafeRawBufferPointer(start: data, count: total))
            return total
        })
        try check(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        try check(ccurl_setopt_xferinfo_cb(handle, CURLOPT_XFERINFOFUNCTION) { context, _, _, _, _ in
            guard let handler = CurlCallbacks.from(context).progress else { return 0 }
            return handler() ? 0 : 1
        })
        try check(ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        try check(ccurl_setopt_pointer(handle, CURLOPT_SEEKDATA, context))
        try check(ccurl_setopt_seek_cb(handle, CURLOPT_SEEKFUNCTION) { context, offset, origin in
            guard origin == SEEK_SET, let handler = CurlCallbacks.from(context).seek else { return CURL_SEEKFUNC_CANTSEEK }
            return handler(Int64(offset)) ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_FAIL
        })
    }

    // MARK: - Options

    public func setURL(_ url: String) throws(CurlError) {
        try check(ccurl_setopt_string(handle, CURLOPT_URL, url))
    }

    /// Sets the method; `bodySize` is the exact size of a `PUT` or `POST` body (ignored otherwise).
    public func setMethod(_ method: CurlHTTPMethod, bodySize: Int64 = 0) throws(CurlError) {
        switch method {
        case .get:
            try check(ccurl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case .head:
            try check(ccurl_setopt_long(handle, CURLOPT_NOBODY, 1))
        case .delete:
            try check(ccurl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, "DELETE"))
        case .put:
            try check(ccurl_setopt_long(handle, CURLOPT_UPLOAD, 1))
            try check(ccurl_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bodySize)))
        case .post:
            try check(ccurl_setopt_long(handle, CURLOPT_POST, 1))
            try check(ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodySize)))
        }
    }

    /// Replaces the request headers (`CURLOPT_HTTPHEADER`), given as `Name: value` lines.
    public func setHeaders(_ lines: [String]) throws(CurlError) {
        let list = try CurlHeaderList(lines)
        try check(ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list.list))
        headerList = list
    }

    /// `CURLOPT_AWS_SIGV4`, e.g. `aws:amz:us-east-1:s3`.
    public func setAWSSigV4(_ provider: String) throws(CurlError) {
        try check(ccurl_setopt_string(handle, CURLOPT_AWS_SIGV4, provider))
    }

    /// `CURLOPT_USERNAME` and `CURLOPT_PASSWORD` (separately, so a `:` in either is safe).
    public func setCredentials(user: String, password: String) throws(CurlError) {
        try check(ccurl_setopt_string(handle, CURLOPT_USERNAME, user))
        try check(ccurl_setopt_string(handle, CURLOPT_PASSWORD, password))
    }

    /// `CURLOPT_CONNECTTIMEOUT_MS`.
    public func setConnectTimeout(_ timeout: Duration) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(timeout.wholeMilliseconds)))
    }

    /// `CURLOPT_TIMEOUT_MS`: the whole transfer, `.zero` for none.
    public func setTimeout(_ timeout: Duration) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout.wholeMilliseconds)))
    }

    /// Aborts with a timeout when the transfer stays below `bytesPerSecond` for `duration`.
    public func setLowSpeedLimit(bytesPerSecond: Int, duration: Duration) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, bytesPerSecond))
        try check(ccurl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(duration.wholeMilliseconds / 1000))))
    }

    /// `CURLOPT_BUFFERSIZE`: the receive buffer, hence the largest write-handler chunk.
    public func setReceiveBufferSize(_ bytes: Int) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_BUFFERSIZE, bytes))
    }

    /// `CURLOPT_UPLOAD_BUFFERSIZE`: the largest read-handler request.
    public func setUploadBufferSize(_ bytes: Int) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_UPLOAD_BUFFERSIZE, bytes))
    }

    /// `CURLOPT_PATH_AS_IS`: send `/./` and `/../` segments unchanged.
    public func setPathAsIs(_ enabled: Bool) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_PATH_AS_IS, enabled ? 1 : 0))
    }

    /// `CURLOPT_TCP_KEEPALIVE`.
    public func setTCPKeepAlive(_ enabled: Bool) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, enabled ? 1 : 0))
    }

    /// `CURLOPT_NOPROXY`: hosts reached directly whatever `http_proxy` says (`*` for all).
    public func setNoProxy(_ hosts: String) throws(CurlError) {
        try check(ccurl_setopt_string(handle, CURLOPT_NOPROXY, hosts))
    }

    /// `CURLOPT_EXPECT_100_TIMEOUT_MS`: how long an upload waits for `100 Continue`.
    public func setExpectContinueTimeout(_ timeout: Duration) throws(CurlError) {
        try check(ccurl_setopt_long(handle, CURLOPT_EXPECT_100_TIMEOUT_MS, Int(timeout.wholeMilliseconds)))
    }

    // MARK: - Handlers

    /// Receives the response body in chunks of at most the receive buffer size.
    public func onWrite(_ handler: ((UnsafeRawBufferPointer) -> CurlWriteResult)?) {
        callbacks.write = handler
    }

    /// Fills the buffer with request body bytes.
    public func onRead(_ handler: ((UnsafeMutableRawBufferPointer) -> CurlReadResult)?) {
        callbacks.read = handler
    }

    /// Receives each response header line, status lines included, with its CRLF.
    public func onHeader(_ handler: ((UnsafeRawBufferPointer) -> Void)?) {
        callbacks.header = handler
    }

    /// Moves the request body back to absolute `offset` when curl must resend it (for
    /// example after a reused connection turned out dead); return `false` if impossible.
    public func onSeek(_ handler: ((Int64) -> Bool)?) {
        callbacks.seek = handler
    }

    /// Called about once per second and on every transfer step; return `false` to abort.
    public func onProgress(_ handler: (() -> Bool)?) {
        callbacks.progress = handler
    }

    // MARK: - Transfer

    /// Runs the transfer (`curl_easy_perform`, blocking) and returns the HTTP status code.
    public func perform() throws(CurlError) -> Int {
        errorBuffer[0] = 0
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw CurlError(code: code, detail: String(cString: errorBuffer))
        }
        return responseCode
    }

    /// `CURLINFO_RESPONSE_CODE` of the last transfer (0 if none).
    public var responseCode: Int {
        var value = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &value)
        return value
    }

    /// `CURLINFO_SIZE_DOWNLOAD_T` of the last transfer.
    public var downloadedBytes: Int64 {
        var value: curl_off_t = 0
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_DOWNLOAD_T, &value)
        return Int64(value)
    }

    /// `CURLINFO_SIZE_UPLOAD_T` of the last transfer.
    public var uploadedBytes: Int64 {
        var value: curl_off_t = 0
        _ = ccurl_getinfo_off(handle, CURLINFO_SIZE_UPLOAD_T, &value)
        return Int64(value)
    }

    /// `CURLINFO_TOTAL_TIME` of the last transfer, in seconds.
    public var totalTime: Double {
        var value = 0.0
        _ = ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &value)
        return value
    }

    /// `CURLINFO_EFFECTIVE_URL` of the last transfer.
    public var effectiveURL: String? {
        var value: UnsafePointer<CChar>?
        guard ccurl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    private func check(_ code: CURLcode, fileID: String = #fileID, line: Int = #line) throws(CurlError) {
        guard code == CURLE_OK else {
            throw CurlError(code: code, detail: String(cString: errorBuffer), fileID: fileID, line: line)
        }
    }
}

/// An HTTP request method. For `PUT` (`CURLOPT_UPLOAD`) and `POST` (`CURLOPT_POST`)
/// ``CurlEasy/setMethod(_:bodySize:)`` also takes the exact body size the read handler will supply.
public enum CurlHTTPMethod: String, Sendable, Hashable {
    case get = "GET", head = "HEAD", delete = "DELETE", put = "PUT", post = "POST"
}
