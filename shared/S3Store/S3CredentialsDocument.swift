#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The JSON credentials document of the container credentials endpoint and of IMDS:
/// `AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration` (ISO 8601), and from IMDS a `Code`
/// that must be `Success`.
struct S3CredentialsDocument: Decodable {
    var accessKeyID: String?
    var secretAccessKey: String?
    var token: String?
    var expiration: String?
    var code: String?
    var message: String?

    enum CodingKeys: String, CodingKey {
        case accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token", expiration = "Expiration"
        case code = "Code", message = "Message"
    }

    /// Parses `body` into credentials; the error names `source` and never quotes the body
    /// (it may hold a secret).
    static func credentials(from body: [UInt8], source: String) throws(S3Error) -> S3Credentials {
        func invalid(_ reason: String) -> S3Error {
            S3Error(kind: .credentials, message: "\(source) answered an unusable credentials document: \(reason)")
        }
        let document: S3CredentialsDocument
        do {
            document = try JSONDecoder().decode(S3CredentialsDocument.self, from: Data(body))
        } catch {
            throw invalid("not a JSON object with string fields (\(body.count) bytes)")
        }
        if let code = document.code, code != "Success" {
            throw invalid("Code \(code)\(document.message.map { ": \($0)" } ?? "")")
        }
        guard let keyID = document.accessKeyID, !keyID.isEmpty else { throw invalid("no AccessKeyId") }
        guard let secret = document.secretAccessKey, !secret.isEmpty else { throw invalid("no SecretAccessKey") }
        var expiration: Date?
        if let text = document.expiration {
            guard let date = parseTimestamp(text) else { throw invalid("Expiration '\(text)' is not an ISO 8601 time") }
            expiration = date
        }
        return S3Credentials(
            accessKeyID: keyID, secretAccessKey: secret, sessionToken: document.token.flatMap { $0.isEmpty ? nil : $0 },
            expiration: expiration)
    }

    /// `2026-11-23T21:00:00Z`, with or without fractional seconds.
    static func parseTimestamp(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}
