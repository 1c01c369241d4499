import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket on 127.0.0.1 that listens but never accepts: the kernel completes connections
/// into its backlog and nothing ever answers, as a server that hangs (or a failover in progress)
/// looks to a client. Closed when released.
public final class SilentListener: Sendable {
    public let port: Int
    private let descriptor: Int32

    public init() throws {
        (descriptor, port) = try FreePort.socket(listening: true)
    }

    deinit { Glibc.close(descriptor) }
}
