import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A throwaway HTTP/1.1 server on 127.0.0.1 for retry tests: each request gets the raw bytes
/// the handler returns for it (by 0-based request index), then the connection closes.
/// Connections are served one at a time on a dedicated thread.
final class ScriptedHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var target: String
        /// Lowercased names.
        var headers: [String: String]
        var body: [UInt8]
    }

    typealias Handler = @Sendable (_ index: Int, _ request: Request) -> [UInt8]

    let port: Int
    private let listener: Int32
    private let handler: Handler
    private let log = Mutex<[Request]>([])

    var requests: [Request] { log.withLock { $0 } }

    init(handler: @escaping Handler) throws {
        self.handler = handler
        (listener, port) = try Self.listen()
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private let stopped = Atomic<Bool>(false)

    /// Shuts the listening socket down; the accept thread then ends and closes it. Only that
    /// thread closes the descriptor, so it never closes a number another server reused.
    /// Idempotent.
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    /// An HTTP response with `Content-Length` and `Connection: close`.
    static func response(_ status: Int, _ reason: String, headers: [String: String] = [:], body: [UInt8] = [])
        -> [UInt8]
    {
        var head = "HTTP/1.1 \(status) \(reason)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        return Array((head + "\r\n").utf8) + body
    }

    /// An S3 `<Error>` answer.
    static func s3Error(_ status: Int, _ reason: String, code: String) -> [UInt8] {
        response(
            status, reason, headers: ["Content-Type": "application/xml", "x-amz-request-id": "scripted-\(status)"],
            body: Array("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>scripted \(status)</Message></Error>".utf8))
    }

    /// A port on which nothing listens (bound, then closed).
    static func closedPort() throws -> Int {
        let (fd, port) = try listen()
        close(fd)
        return port
    }

    struct SocketError: Error { var call: String; var errno: Int32 }

    private static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 16) == 0 else {
            close(fd)
            throw SocketError(call: "bind/listen", errno: errno)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { break }
            serve(connection)
            close(connection)
        }
        close(listener)
    }

    private func serve(_ connection: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        func receive() -> Bool {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
        let separator = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        while headerEnd == nil {
            guard receive() else { return }
            headerEnd = buffer.indices.dropLast(3).first { buffer[$0..<($0 + 4)].elementsEqual(separator) }
        }
        let headText = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let bodyLength = Int(headers["content-length"] ?? "0") ?? 0
        if bodyLength > 0, headers["expect"]?.lowercased() == "100-continue" { write(connection, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + bodyLength { guard receive() else { return } }
        let request = Request(
            method: requestLine.first.map(String.init) ?? "", target: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers, body: Array(buffer[bodyStart..<(bodyStart + bodyLength)]))
        let index = log.withLock { log in
            log.append(request)
            return log.count - 1
        }
        write(connection, handler(index, request))
    }

    private func write(_ connection: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }
}
