import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a child process to completion without Foundation's `Process`.
///
/// `posix_spawn`, then `waitpid` on a thread of its own: Foundation's `Process` on Linux reports
/// termination only once every holder of an inherited socket has exited, and the PostgreSQL
/// server that `pg.sh start` leaves running would hold it forever.
enum ChildProcess {
    /// Runs `arguments` (`arguments[0]` is the executable's path) with exactly `environment`,
    /// output to `logPath`, and returns its exit status.
    static func run(_ arguments: [String], environment: [String: String], logPath: String) async throws -> Int32 {
        let variables = environment.map { "\($0)=\($1)" }
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue(label: "adrecs.test.child-process").async {
                continuation.resume(with: Result { try spawnAndWait(arguments, variables, logPath: logPath) })
            }
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
}
