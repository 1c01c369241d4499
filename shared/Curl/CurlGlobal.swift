import CCurl

/// Process-wide libcurl initialisation, run exactly once before the first handle exists.
enum CurlGlobal {
    /// `curl_global_init` is not thread-safe; Swift runs a static initializer once, under a lock.
    static let initialized: CURLcode = curl_global_init(ccurl_global_all)

    /// Initialises libcurl if needed; throws if `curl_global_init` failed.
    static func ensureInitialized(fileID: String = #fileID, line: Int = #line) throws(CurlError) {
        let code = initialized
        guard code == CURLE_OK else { throw CurlError(code: code, detail: "", fileID: fileID, line: line) }
    }

    /// The linked libcurl's version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.15 …`.
    static var version: String { String(cString: curl_version()) }
}
