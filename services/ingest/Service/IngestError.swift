public import AdrecsPipeline
public import AdrecsRuntime
import AdrecsStorage
import S3Store

/// Why an ingest run (or the service) failed.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An S3 request failed: S3's error code (or the transport failure) and message.
    case storage(code: String, message: String)
    /// No candidate key of a raw input exists.
    case rawInputNotFound(key: String)
    /// The models stage could not be told.
    case messaging(String)
    /// The run cannot be processed as given (bad date, unexpected state).
    case invalidRun(String)

    public var description: String {
        switch self {
        case .storage(let code, let message): message.isEmpty ? code : "\(code): \(message)"
        case .rawInputNotFound(let key): "raw input not found: \(key)"
        case .messaging(let message): message
        case .invalidRun(let message): message
        }
    }

    /// `error` as an ingest error: S3 and storage errors become ``storage(code:message:)`` and
    /// ``rawInputNotFound(key:)``; other errors keep their description as an invalid run.
    public static func from(_ error: any Error) -> IngestError {
        switch error {
        case let error as IngestError:
            return error
        case let error as S3Error:
            if let code = error.code { return .storage(code: code, message: error.message ?? "") }
            switch error.kind {
            case .transport:
                let detail = error.transportError?.summary ?? ""
                return .storage(code: "S3Unreachable", message: "\(detail) after \(error.attempts) attempts")
            case .service:
                return .storage(code: "HTTP\(error.httpStatus.map(String.init) ?? "?")", message: error.message ?? "")
            default:
                return .storage(code: "S3Error", message: error.message ?? "\(error.kind)")
            }
        case let error as StorageError:
            switch error {
            case .rawInputNotFound(_, let candidates): return .rawInputNotFound(key: candidates.joined(separator: " or "))
            }
        default:
            return .invalidRun(String(describing: error))
        }
    }

    /// The `cause` label for `adrecs_stage_failures_total`.
    public var cause: FailureCause {
        switch self {
        case .storage: .storage
        case .rawInputNotFound: .input
        case .messaging: .messaging
        case .invalidRun: .unexpected
        }
    }
}

extension IngestError: StageError {
    public var failureCause: FailureCause { cause }
}
