import CCurl

/// Owns a `curl_slist` of header lines, freed with `curl_slist_free_all` in `deinit`.
final class CurlHeaderList {
    private(set) var list: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String]) throws(CurlError) {
        for line in lines {
            guard let appended = curl_slist_append(list, line) else {
                throw CurlError(code: CURLE_OUT_OF_MEMORY, detail: "curl_slist_append failed")
            }
            list = appended
        }
    }

    deinit { curl_slist_free_all(list) }
}
