import AdrecsConcurrency
import Foundation
import Synchronization

/// A local credentials endpoint on a ``ScriptedHTTPServer`` that speaks the documented
/// protocols: the container credentials endpoint (`GET <path>` → JSON), or IMDSv2
/// (`PUT /latest/api/token` with `X-aws-ec2-metadata-token-ttl-seconds`, then GETs with
/// `X-aws-ec2-metadata-token`: without it, 401). The n-th credentials document served has
/// key `<prefix>KEY<n>`, secret `<prefix>-secret-<n>` and token `<prefix>-token-<n>`.
final class FakeCredentialsServer: Sendable {
    enum Kind: Sendable {
        case container(path: String)
        case imds(role: String)
    }

    struct State {
        var served = 0
        var expiration = "2030-01-01T00:00:00Z"
        /// Answer every request with HTTP 500.
        var failing = false
        /// Served instead of the JSON document.
        var body: String?
        /// Held before answering a credentials request.
        var delay: Duration = .zero
    }

    static let imdsToken = "imds-api-token-1"
    static let defaultExpiration = try! Date("2030-01-01T00:00:00Z", strategy: .iso8601)

    /// The mutable script, shared with the server's handler.
    final class Box: Sendable {
        let state = Mutex(State())
    }

    let kind: Kind
    let prefix: String
    private let box = Box()
    private let http: ScriptedHTTPServer

    init(_ kind: Kind, prefix: String) throws {
        self.kind = kind
        self.prefix = prefix
        let box = box
        http = try ScriptedHTTPServer { _, request in Self.answer(request, kind: kind, prefix: prefix, box: box) }
    }

    var base: String { "http://127.0.0.1:\(http.port)" }
    var requests: [ScriptedHTTPServer.Request] { http.requests }
    /// Credentials documents served so far.
    var served: Int { box.state.withLock { $0.served } }

    func update(_ change: (inout State) -> Void) { box.state.withLock { change(&$0) } }
    func stop() { http.stop() }

    private static func answer(_ request: ScriptedHTTPServer.Request, kind: Kind, prefix: String, box: Box) -> [UInt8] {
        if box.state.withLock({ $0.failing }) { return ScriptedHTTPServer.response(500, "Internal Server Error") }
        switch kind {
        case .container(let path):
            guard request.method == "GET", request.target == path else { return ScriptedHTTPServer.response(404, "Not Found") }
            return document(prefix: prefix, box: box, imds: false)
        case .imds(let role):
            let base = "/latest/meta-data/iam/security-credentials/"
            if request.method == "PUT", request.target == "/latest/api/token" {
                guard let ttl = request.headers["x-aws-ec2-metadata-token-ttl-seconds"], Int(ttl) != nil else {
                    return ScriptedHTTPServer.response(400, "Bad Request")
                }
                return ScriptedHTTPServer.response(200, "OK", body: Array(imdsToken.utf8))
            }
            guard request.method == "GET" else { return ScriptedHTTPServer.response(405, "Method Not Allowed") }
            guard request.headers["x-aws-ec2-metadata-token"] == imdsToken else {
                return ScriptedHTTPServer.response(401, "Unauthorized")
            }
            switch request.target {
            case base: return ScriptedHTTPServer.response(200, "OK", body: Array("\(role)\n".utf8))
            case base + role: return document(prefix: prefix, box: box, imds: true)
            default: return ScriptedHTTPServer.response(404, "Not Found")
            }
        }
    }

    private static func document(prefix: String, box: Box, imds: Bool) -> [UInt8] {
        let (n, expiration, body, delay) = box.state.withLock { state -> (Int, String, String?, Duration) in
            state.served += 1
            return (state.served, state.expiration, state.body, state.delay)
        }
        if delay > .zero { Thread.sleep(forTimeInterval: delay.seconds) }
        if let body { return ScriptedHTTPServer.response(200, "OK", headers: ["Content-Type": "application/json"], body: Array(body.utf8)) }
        var fields = [
            "\"AccessKeyId\": \"\(prefix.uppercased())KEY\(n)\"", "\"SecretAccessKey\": \"\(prefix)-secret-\(n)\"",
            "\"Token\": \"\(prefix)-token-\(n)\"", "\"Expiration\": \"\(expiration)\"",
        ]
        if imds { fields = ["\"Code\": \"Success\"", "\"LastUpdated\": \"2029-12-31T18:00:00Z\"", "\"Type\": \"AWS-HMAC\""] + fields }
        else { fields.append("\"RoleArn\": \"arn:aws:iam::123456789012:role/adrecs-task\"") }
        return ScriptedHTTPServer.response(
            200, "OK", headers: ["Content-Type": "application/json"], body: Array("{\(fields.joined(separator: ", "))}".utf8))
    }
}
