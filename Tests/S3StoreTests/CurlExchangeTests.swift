import Curl
import Testing

/// `CurlEasy.exchange`, the small in-memory HTTP helper, against the scripted local server.
@Suite("Curl exchange", .timeLimit(.minutes(1)))
struct CurlExchangeTests {
    @Test(arguments: [CurlHTTPMethod.post, .put])
    func sendsTheBodyAndReturnsStatusHeadersAndBody(method: CurlHTTPMethod) throws {
        let server = try ScriptedHTTPServer { _, request in
            ScriptedHTTPServer.response(202, "Accepted", headers: ["X-Request-Id": "r-7"], body: Array("{\"ok\":\(request.body.count)}".utf8))
        }
        defer { server.stop() }
        let body = Array(#"{"date":"2025-11-15"}"#.utf8)
        let response = try CurlEasy().exchange(
            "http://127.0.0.1:\(server.port)/runs", method: method, body: body, headers: ["Content-Type: application/json"]
        )
        #expect(response.status == 202)
        #expect(response.header("x-request-id") == "r-7")
        #expect(response.text == #"{"ok":21}"#)
        #expect(server.requests.first?.method == method.rawValue)
        #expect(server.requests.first?.body == body)
        #expect(server.requests.first?.headers["content-type"] == "application/json")
    }

    @Test func reusesOneHandleForSeveralExchanges() throws {
        let server = try ScriptedHTTPServer { index, _ in
            ScriptedHTTPServer.response(index == 0 ? 404 : 200, index == 0 ? "Not Found" : "OK", body: Array("\(index)".utf8))
        }
        defer { server.stop() }
        let easy = try CurlEasy()
        let first = try easy.exchange("http://127.0.0.1:\(server.port)/a")
        let second = try easy.exchange("http://127.0.0.1:\(server.port)/b", method: .delete)
        #expect((first.status, first.text) == (404, "0"))
        #expect((second.status, second.text) == (200, "1"))
        #expect(server.requests.map(\.method) == ["GET", "DELETE"])
        #expect(server.requests.first?.body.isEmpty == true)
    }

    @Test func aClosedPortIsAConnectionError() throws {
        let port = try ScriptedHTTPServer.closedPort()
        #expect(throws: CurlError.self) { try CurlEasy().exchange("http://127.0.0.1:\(port)/health", timeout: .seconds(2)) }
    }
}
