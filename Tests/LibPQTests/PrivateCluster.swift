import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A PostgreSQL cluster of a test's own, on a free port under `<repo>/.local/test-pg-<random>`,
/// managed with the project's `scripts/pg.sh` so restarting it disturbs no other suite.
struct PrivateCluster: Sendable {
    let repoRoot: URL
    let directory: URL
    let port: Int

    var dsn: String { "postgresql://adrecs@127.0.0.1:\(port)/adrecs?sslmode=disable" }
    private var scriptLog: URL { directory.appendingPathExtension("log") }

    init() throws {
        repoRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directory = repoRoot.appending(path: ".local/test-pg-\(UInt64.random(in: 0...UInt64.max))")
        port = try Self.freePort()
    }

    /// Runs `scripts/pg.sh <command>` for this cluster; throws with the script's output if it fails.
    func run(_ command: String) async throws {
        let script = repoRoot.appending(path: "scripts/pg.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw TestSetupError("\(script.path) is missing: the restart test manages its server with it")
        }
        try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["ADRECS_PG_PORT"] = "\(port)"
        environment["ADRECS_PG_DIR"] = directory.path
        let status = try await ChildProcess.run(["/bin/bash", script.path, command], environment: environment, logPath: scriptLog.path)
        guard status == 0 else {
            let log = (try? String(contentsOf: scriptLog, encoding: .utf8)) ?? ""
            throw TestSetupError("scripts/pg.sh \(command) exited with \(status): \(log)")
        }
    }

    /// Stops the server and removes its files.
    func destroy() async {
        try? await run("stop")
        try? FileManager.default.removeItem(at: directory)
        try? FileManager.default.removeItem(at: scriptLog)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    private static func freePort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw TestSetupError("socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw TestSetupError("could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
