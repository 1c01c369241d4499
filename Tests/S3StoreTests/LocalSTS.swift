import Curl
@testable import S3Store
import Testing

/// Temporary credentials from the local SeaweedFS's embedded STS: `AssumeRole` (no role ARN:
/// a session of the caller itself), signed with the long-term test keys. SeaweedFS answers an
/// HS256 JWT session token that it checks on every later request.
enum LocalSTS {
    struct TemporaryCredentials {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String
        var expiration: String
    }

    /// Blocks briefly (one local request).
    static func assumeRole(_ environment: S3TestEnvironment, sessionName: String) throws -> TemporaryCredentials {
        let body = Array("Action=AssumeRole&Version=2011-06-15&RoleSessionName=\(sessionName)&DurationSeconds=900".utf8)
        let easy = try CurlEasy()
        try easy.setURL(environment.endpoint + "/")
        try easy.setMethod(.post, bodySize: Int64(body.count))
        try easy.setHeaders(["Content-Type: application/x-www-form-urlencoded", "x-amz-content-sha256: UNSIGNED-PAYLOAD"])
        try easy.setAWSSigV4("aws:amz:\(environment.region):sts")
        try easy.setCredentials(user: environment.accessKeyID, password: environment.secretAccessKey)
        try easy.setTimeout(.seconds(10))
        var offset = 0
        easy.onRead { buffer in
            let count = min(buffer.count, body.count - offset)
            body.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)])) }
            offset += count
            return .bytes(count)
        }
        var received: [UInt8] = []
        easy.onWrite { chunk in
            received.append(contentsOf: chunk)
            return .consumed
        }
        let status = try easy.perform()
        let text = String(decoding: received, as: UTF8.self)
        try #require(status == 200, "AssumeRole answered \(status): \(text.prefix(300))")
        let credentials = try #require(try XMLScanner.parse(received).child("AssumeRoleResult")?.child("Credentials"))
        func field(_ name: String) throws -> String { try #require(credentials.text(of: name), "no \(name) in AssumeRole's answer") }
        return TemporaryCredentials(
            accessKeyID: try field("AccessKeyId"), secretAccessKey: try field("SecretAccessKey"),
            sessionToken: try field("SessionToken"), expiration: try field("Expiration"))
    }
}
