import AdrecsConcurrency
import Curl

/// Small HTTP exchanges with the credentials endpoints (container, IMDS), each on a fresh
/// curl handle on the shared blocking executor, never on the cooperative pool, and never
/// through a proxy (the SDKs reach 169.254.169.254 and 169.254.170.2 directly too).
enum S3MetadataHTTP {
    /// Sends one request and returns the answer whatever its status; a transport failure
    /// becomes a ``S3Error/Kind/credentials`` error naming `source` and the address.
    static func exchange(
        _ url: String, method: CurlHTTPMethod = .get, headers: [String] = [], timeout: Duration, source: String
    ) async throws -> CurlHTTPResponse {
        do {
            return try await BlockingExecutor.shared.run {
                try CurlEasy().exchange(url, method: method, headers: headers, timeout: timeout, direct: true)
            }
        } catch let error as CurlError {
            throw S3Error(kind: .credentials, message: "\(source): \(method.rawValue) \(url) failed", transportError: error)
        }
    }

    /// The error for an answer with an unexpected status (the body is not quoted).
    static func statusError(_ response: CurlHTTPResponse, _ method: CurlHTTPMethod, _ url: String, source: String) -> S3Error {
        S3Error(kind: .credentials, httpStatus: response.status, message: "\(source): \(method.rawValue) \(url) answered HTTP \(response.status)")
    }
}
