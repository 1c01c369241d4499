/// A parsed endpoint and the URL building for both addressing styles.
struct S3Endpoint: Sendable, Equatable {
    var scheme: String
    /// Host with an optional `:port`.
    var authority: String
    /// A base path without a trailing slash, usually empty.
    var basePath: String
    var style: S3AddressingStyle

    init(_ url: String?, region: String, style: S3AddressingStyle) throws(S3Error) {
        self.style = style
        guard let url else {
            scheme = "https"
            authority = "s3.\(region).amazonaws.com"
            basePath = ""
            return
        }
        guard let separator = url.firstRange(of: "://") else {
            throw S3Error(kind: .invalidRequest, message: "endpoint \(url) has no scheme")
        }
        scheme = url[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw S3Error(kind: .invalidRequest, message: "endpoint scheme \(scheme) is not http or https")
        }
        let rest = url[separator.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        authority = String(rest[..<slash])
        var path = String(rest[slash...])
        while path.hasSuffix("/") { path.removeLast() }
        basePath = path
        guard !authority.isEmpty, !authority.contains("@"), !url.contains("?"), !url.contains("#") else {
            throw S3Error(kind: .invalidRequest, message: "endpoint must be scheme://host[:port][/path]")
        }
    }

    /// The request URL. `bucket == nil` addresses the service; `key == nil` the bucket.
    func url(bucket: String?, key: String?, query: [(String, String)]) -> String {
        var host = authority
        var path = basePath
        if let bucket {
            if usesVirtualHost(for: bucket) {
                host = "\(bucket).\(authority)"
            } else {
                path += "/" + S3PercentEncoding.encodePath(bucket)
            }
        }
        path += "/" + (key.map(S3PercentEncoding.encodePath) ?? "")
        if let bucket, key == nil, !usesVirtualHost(for: bucket) { path.removeLast() }
        let queryString = S3PercentEncoding.canonicalQuery(query)
        return "\(scheme)://\(host)\(path)\(queryString.isEmpty ? "" : "?" + queryString)"
    }

    /// Virtual-hosted style, unless the bucket is not a valid DNS label sequence for it.
    func usesVirtualHost(for bucket: String) -> Bool {
        guard style == .virtualHosted else { return false }
        if scheme == "https" && bucket.contains(".") { return false }
        return bucket.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
    }
}

/// Where the bucket name goes in a request URL.
public enum S3AddressingStyle: Sendable, Equatable {
    /// `https://host/bucket/key`: what local servers (SeaweedFS, MinIO) need.
    case path
    /// `https://bucket.host/key`: AWS's default. Buckets with dots fall back to path style
    /// over HTTPS, since their host would not match the wildcard certificate.
    case virtualHosted
}
