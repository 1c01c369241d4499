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
        directory = repoRoot.appending(path: ".local/\(TestDatabase.randomName("test-pg"))")
        port = try Self.freePort()
    }

    /// Runs `scripts/pg.sh <command>` for this cluster; throws with the script's output if it fails.
    ///
    /// Spawned with `posix_spawn` and awaited with `waitpid` on a thread of its own: Foundation's
    /// `Process` on Linux reports termination only once every holder of an inherited socket has
    /// exited, and the PostgreSQL server that `pg.sh start` leaves running would hold it forever.
    func run(_ command: String) async throws {
        let script = repoRoot.appending(path: "scripts/pg.sh")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw TestSetupError("\(script.path) is missing: the restart test manages its server with it")
        }
        try FileManager.default.createDirectory(at: directory.deletingLastPathComponent(), withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["ADRECS_PG_PORT"] = "\(port)"
        environment["ADRECS_PG_DIR"] = directory.path
        let arguments = ["/bin/bash", script.path, command]
        let variables = environment.map { "\($0)=\($1)" }
        let logPath = scriptLog.path
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "adrecs.test.pg-script").async {
                continuation.resume(with: Result { try Self.spawnAndWait(arguments, variables, logPath: logPath) })
            }
        }
        guard status == 0 else {
            let log = (try? String(contentsOf: scriptLog, encoding: .utf8)) ?? ""
            throw TestSetupError("scripts/pg.sh \(command) exited with \(status): \(log)")
        }
    }

    /// Runs `arguments` with stdin from /dev/null, stdout and stderr to `logPath`, no other open
    /// file descriptors, and returns its exit status.
    private static func spawnAndWait(_ arguments: [String], _ environment: [String], logPath: String) throws -> Int32 {
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, but Swift's Glibc module hides it.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
            throw TestSetupError("posix_spawn_file_actions_addclosefrom_np is missing (glibc 2.34+ needed)")
        }
        guard unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0 else {
            throw TestSetupError("posix_spawn_file_actions_addclosefrom_np failed")
        }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestSetupError("posix_spawn failed: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw TestSetupError("waitpid failed: \(errno)") }
        }
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        #else
        throw TestSetupError("the private cluster helper supports Linux only")
        #endif
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
