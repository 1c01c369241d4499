import Curl
import Testing

/// The thin curl wrapper on its own, against the scripted local server.
@Suite("Curl easy handle", .timeLimit(.minutes(1)))
struct CurlEasyTests {
    @Test func performsAnUploadAndCollectsHeadersAndBody() throws {
        let server = try ScriptedHTTPServer { _, request in
            ScriptedHTTPServer.response(201, "Created", headers: ["X-Echo-Length": "\(request.body.count)"], body: Array("done".utf8))
        }
        defer { server.stop() }
        let easy = try CurlEasy()
        let payload = TestBytes.bytes(0..<70_000)
        var sent = 0
        var body: [UInt8] = []
        var headerLines: [String] = []
        try easy.setURL("http://127.0.0.1:\(server.port)/upload")
        try easy.setMethod(.put, bodySize: Int64(payload.count))
        try easy.setHeaders(["Content-Type: application/x-test"])
        easy.onRead { buffer in
            let count = min(buffer.count, payload.count - sent)
            payload[sent..<(sent + count)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            sent += count
            return .bytes(count)
        }
        easy.onWrite { chunk in
            body.append(contentsOf: chunk)
            return .consumed
        }
        easy.onHeader { line in headerLines.append(String(decoding: line, as: UTF8.self)) }
        #expect(try easy.perform() == 201)
        #expect(easy.responseCode == 201)
        #expect(String(decoding: body, as: UTF8.self) == "done")
        #expect(headerLines.contains("X-Echo-Length: 70000\r\n"))
        #expect(easy.uploadedBytes == 70_000)
        #expect(easy.downloadedBytes == 4)
        #expect(server.requests.first?.body == payload)
        #expect(server.requests.first?.headers["content-type"] == "application/x-test")
    }

    @Test func abortingFromTheWriteHandlerFailsThePerform() throws {
        let server = try ScriptedHTTPServer { _, _ in ScriptedHTTPServer.response(200, "OK", body: [1, 2, 3]) }
        defer { server.stop() }
        let easy = try CurlEasy()
        try easy.setURL("http://127.0.0.1:\(server.port)/")
        easy.onWrite { _ in .abort }
        let error = try #require(throws: CurlError.self) { try easy.perform() }
        #expect(error.isAbortedByCallback)
        #expect(!error.isTransient)
    }

    @Test func connectionRefusedCarriesCodeMessageAndDetail() throws {
        let port = try ScriptedHTTPServer.closedPort()
        let easy = try CurlEasy()
        try easy.setURL("http://127.0.0.1:\(port)/")
        try easy.setConnectTimeout(.seconds(2))
        let error = try #require(throws: CurlError.self) { try easy.perform() }
        #expect(error.code == 7)  // CURLE_COULDNT_CONNECT
        #expect(error.isConnectFailure && error.isTransient)
        #expect(error.message == "Couldn't connect to server")
        #expect(error.detail.contains("\(port)"))
        #expect(error.description.contains("curl error 7"))
    }

    @Test func pooledHandlesAreResetBetweenLoans() throws {
        let server = try ScriptedHTTPServer { index, _ in ScriptedHTTPServer.response(200, "OK", body: Array("r\(index)".utf8)) }
        defer { server.stop() }
        let pool = CurlHandlePool(maxIdle: 1)
        var first: [UInt8] = []
        try pool.withHandle { easy throws(CurlError) in
            try easy.setURL("http://127.0.0.1:\(server.port)/a")
            try easy.setHeaders(["X-Only-First: 1"])
            easy.onWrite { chunk in
                first.append(contentsOf: chunk)
                return .consumed
            }
            _ = try easy.perform()
        }
        let status = try pool.withHandle { easy throws(CurlError) in
            try easy.setURL("http://127.0.0.1:\(server.port)/b")
            return try easy.perform()
        }
        #expect(String(decoding: first, as: UTF8.self) == "r0")
        #expect(status == 200)
        #expect(server.requests.map(\.target) == ["/a", "/b"])
        #expect(server.requests.last?.headers["x-only-first"] == nil)
        #expect(CurlEasy.libraryVersion.hasPrefix("libcurl/"))
    }
}
