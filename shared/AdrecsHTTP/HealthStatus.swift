public import AdrecsRuntime
public import Hummingbird

/// The body of `GET /health` while the process serves requests:
/// `{"status":"ok","version":"…","commit":"…"}`, the build from ``BuildInfo``.
public struct HealthStatus: ResponseEncodable, Equatable, Sendable {
    public var status: String
    public var version: String
    public var commit: String

    public init(status: String, build: BuildInfo = .current) {
        self.status = status
        self.version = build.version
        self.commit = build.commit
    }

    public static let ok = HealthStatus(status: "ok")
}
