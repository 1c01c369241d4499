/// Where the bucket name goes in a request URL.
public enum S3AddressingStyle: Sendable, Equatable {
    /// `https://host/bucket/key`: what local servers (SeaweedFS, MinIO) need.
    case path
    /// `https://bucket.host/key`: AWS's default. Buckets with dots fall back to path style
    /// over HTTPS, since their host would not match the wildcard certificate.
    case virtualHosted
}
