import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// TCP ports on 127.0.0.1 for tests: a free one, or a socket listening on one the kernel chose.
public enum FreePort {
    /// A port that nothing listens on right now, for a process the test starts to bind later.
    /// It comes from below the kernel's ephemeral range (32768-60999), so no outgoing connection
    /// can take it before the process binds it (the kernel's own choice for port 0 comes from that
    /// range and can), and this process hands each port out once.
    public static func next() throws -> Int {
        for _ in candidates {
            let port = nextCandidate.withLock { next in
                defer { next = next + 1 == candidates.upperBound ? candidates.lowerBound : next + 1 }
                return next
            }
            if isFree(port) { return port }
        }
        throw TestSetupError("no free port in \(candidates) on 127.0.0.1")
    }

    /// Ports the scripts leave alone (theirs are 18333-18404 and 22000-22407).
    static let candidates = 23_000..<32_000
    private static let nextCandidate = Mutex(candidates.lowerBound + Int(getpid()) % candidates.count)

    /// Whether a socket can bind 127.0.0.1:`port` now.
    static func isFree(_ port: Int) -> Bool {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { Glibc.close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A TCP socket bound to 127.0.0.1 on a port the kernel chose and, with `listening`, listening
    /// (backlog 64); the caller owns the descriptor.
    public static func socket(listening: Bool) throws -> (descriptor: Int32, port: Int) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket() failed") }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && (!listening || listen(fd, 64) == 0) && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            Glibc.close(fd)
            throw TestSetupError("could not bind a socket on 127.0.0.1")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// The IPv4 address 127.0.0.1:`port`.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }
}
