import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay on 127.0.0.1 in front of a real server, for injecting network faults: while it is
/// held, it accepts connections and bytes but forwards nothing (a request in flight stalls, as
/// behind a dead link); released, it forwards again. Each connection has two threads of its own,
/// so the relay never touches the cooperative pool.
public final class TCPRelay: Sendable {
    /// The port clients connect to.
    public let port: Int
    private let targetPort: Int
    private let listener: Int32
    private let held = Atomic(false)
    private let closed = Atomic(false)

    /// Listens on a free port and relays each connection to `127.0.0.1:targetPort`.
    public init(targetPort: Int) throws {
        self.targetPort = targetPort
        (listener, port) = try FreePort.socket(listening: true)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// From now on, bytes are taken in but not forwarded.
    public func hold() { held.store(true, ordering: .releasing) }

    /// Forwards again, including what was held back.
    public func release() { held.store(false, ordering: .releasing) }

    /// Stops accepting; open connections end when either side closes.
    public func close() {
        closed.store(true, ordering: .releasing)
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func acceptLoop() {
        while !closed.load(ordering: .acquiring) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { break }
            let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = FreePort.loopback(port: targetPort)
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            guard connected else {
                Glibc.close(client)
                Glibc.close(server)
                continue
            }
            let pair = SocketPair(client, server)
            Thread.detachNewThread { [self] in pump(from: client, to: server, pair) }
            Thread.detachNewThread { [self] in pump(from: server, to: client, pair) }
        }
        Glibc.close(listener)
    }

    /// Copies bytes until either side closes; while held, waits before forwarding what it read.
    private func pump(from source: Int32, to destination: Int32, _ pair: SocketPair) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer {
            shutdown(destination, Int32(SHUT_WR))
            shutdown(source, Int32(SHUT_RD))
            pair.pumpEnded()
        }
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            while held.load(ordering: .acquiring) && !closed.load(ordering: .acquiring) { usleep(10_000) }
            var sent = 0
            while sent < count {
                // MSG_NOSIGNAL: a peer gone (a killed service) must not SIGPIPE the test process.
                let written = buffer.withUnsafeBytes { send(destination, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { return }
                sent += written
            }
        }
    }

    /// Both ends of one relayed connection, closed once both directions have ended.
    private final class SocketPair: Sendable {
        let fds: (Int32, Int32)
        let running = Atomic(2)

        init(_ first: Int32, _ second: Int32) { fds = (first, second) }

        func pumpEnded() {
            guard running.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
            Glibc.close(fds.0)
            Glibc.close(fds.1)
        }
    }
}
