/// Why a wire message could not be read.
public enum WireError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a JSON object of the expected shape.
    case malformed(type: String, reason: String)
    /// The envelope names another message type.
    case unexpectedType(expected: String, actual: String)
    /// The sender wrote a version this build does not understand.
    case unsupportedVersion(type: String, version: Int, supported: Int)

    public var description: String {
        switch self {
        case .malformed(let type, let reason):
            "malformed \(type) message: \(reason)"
        case .unexpectedType(let expected, let actual):
            "expected a \(expected) message, got \(actual)"
        case .unsupportedVersion(let type, let version, let supported):
            "unsupported \(type) message version \(version) (this build reads version \(supported))"
        }
    }
}
