public import Hummingbird

/// The body of `GET /health`: `{"status":"ok"}` while the process serves requests.
public struct HealthStatus: ResponseEncodable, Equatable, Sendable {
    public var status: String

    public init(status: String) {
        self.status = status
    }

    public static let ok = HealthStatus(status: "ok")
}
