import CBuildInfo

/// Which build a binary is: its version and git commit, stamped at build time by
/// scripts/build-release.sh (`0.0.0-dev` and `unknown` in an unstamped build). The one source of
/// `--version`, `/health` and the `adrecs_build_info` gauge.
public struct BuildInfo: Sendable, Equatable, CustomStringConvertible {
    public var version: String
    public var commit: String

    public init(version: String, commit: String) {
        self.version = version
        self.commit = commit
    }

    /// This binary's build.
    public static let current = BuildInfo(
        version: String(cString: adrecs_build_version()), commit: String(cString: adrecs_build_commit()))

    /// `0.3.0 (commit 1a2b…)`: what `--version` prints.
    public var description: String { "\(version) (commit \(commit))" }
}
