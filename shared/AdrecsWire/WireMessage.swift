/// A message one stage hands the next over ZeroMQ. It carries S3 keys and counts, never data.
///
/// Every message has a `version`. A breaking change gets a new type (`IngestCompletedV2`),
/// and a peer that receives a version it does not know rejects it with ``WireError/unsupportedVersion(type:version:supported:)``.
public protocol WireMessage: Codable, Sendable, Equatable {
    /// The message type's name on the wire, e.g. `ingest.completed`.
    static var type: String { get }
    /// The version this build writes and accepts.
    static var currentVersion: Int { get }
    var version: Int { get }
}
