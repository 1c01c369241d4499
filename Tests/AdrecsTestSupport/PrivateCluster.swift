import Foundation

/// A PostgreSQL cluster of a test's own, run by `scripts/pg.sh` on a free port under `.local/`,
/// for tests that stop and start the server without disturbing the other suites.
public struct PrivateCluster: Sendable {
    public let port: Int
    public let directory: String
    /// A folder with `server.crt` and `server.key`: the server then also speaks TLS.
    public let tlsDirectory: String?

    public init(tlsDirectory: String? = nil) throws {
        port = try FreePort.next()
        directory = Repository.root.appendingPathComponent(".local/\(TestEnvironment.uniqueName("test-pg"))").path
        self.tlsDirectory = tlsDirectory
    }

    public var url: String { "postgresql://adrecs@127.0.0.1:\(port)/adrecs?sslmode=disable&connect_timeout=3" }

    public func start() async throws { try await script("start") }
    public func stop() async throws { try await script("stop") }

    /// Stops the server and removes its folder and its script log.
    public func remove() async {
        try? await stop()
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.removeItem(atPath: directory + ".log")
    }

    private func script(_ command: String) async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["ADRECS_PG_PORT"] = String(port)
        environment["ADRECS_PG_DIR"] = directory
        environment["ADRECS_PG_TLS_DIR"] = tlsDirectory
        let log = directory + ".log"
        // `.local/` may not exist yet in a fresh checkout; posix_spawn cannot open the log without it.
        try FileManager.default.createDirectory(
            atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let status = try await SpawnedProcess.run(
            ["/bin/bash", Repository.root.appendingPathComponent("scripts/pg.sh").path, command], environment: environment, logPath: log
        )
        guard status == 0 else {
            throw TestSetupError("scripts/pg.sh \(command) failed with \(status): \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }
}
