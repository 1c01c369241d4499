import Foundation
#if canImport(Glibc)
public import Glibc
#endif

/// A child process started with `posix_spawn`, for tests that run the real executables and scripts.
///
/// Foundation's `Process` on Linux reports termination only once every holder of an inherited
/// descriptor has exited, so a script that leaves a server running would never "finish". Here the
/// child gets stdin from /dev/null, stdout and stderr appended to `logPath`, and no other descriptor.
public final class SpawnedProcess: Sendable {
    public let pid: pid_t
    public let logPath: String

    /// Starts `arguments` (`arguments[0]` is the executable's path) with exactly `environment`.
    public init(_ arguments: [String], environment: [String: String], logPath: String) throws {
        self.logPath = logPath
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, but Swift's Glibc module hides it.
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np"),
              unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3) == 0
        else { throw TestSetupError("posix_spawn_file_actions_addclosefrom_np is unavailable (glibc 2.34+ needed)") }
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard spawned == 0 else { throw TestSetupError("could not start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        self.pid = pid
    }

    /// Runs `arguments` to completion and returns its exit status (128 + signal when killed).
    public static func run(_ arguments: [String], environment: [String: String], logPath: String) async throws -> Int32 {
        let process = try SpawnedProcess(arguments, environment: environment, logPath: logPath)
        guard let status = await process.waitForExit(timeout: .seconds(600)) else {
            process.signal(SIGKILL)
            throw TestSetupError("\(arguments[0]) did not finish within 600 s (log: \(logPath))")
        }
        return status
    }

    public func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// The exit status (128 + signal when killed) once the process has ended, or nil after `timeout`.
    public func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var status: Int32 = 0
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid {
                return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            if result == -1 { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// The process's log so far, for failure messages.
    public func logTail(lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
