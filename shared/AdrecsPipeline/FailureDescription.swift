import AdrecsDatabase
public import AdrecsRuntime
import LibPQ
import S3Store

/// The ledger's text for a failed stage and the metrics' cause, from any error.
public struct FailureDescription {
    public var text: String
    public var cause: FailureCause
    /// The failure may pass by itself: PostgreSQL unreachable, or S3 unreachable or answering a
    /// server error after its own retries. A stage failing so is worth another attempt.
    public var isTransient = false

    public init(_ error: any Error) {
        switch error {
        case let error as S3Error:
            // The S3 error code first: the ledger is read by people looking for `NoSuchKey`, `SignatureDoesNotMatch`…
            self.text = (error.code.map { "\($0): " } ?? "") + error.description
            self.cause = .storage
            self.isTransient = error.kind == .transport || (error.httpStatus ?? 0) >= 500 || error.code == "SlowDown"
        case let error as LedgerError:
            self.text = error.description
            self.cause = .database
        case let error as PGError:
            self.text = (error.sqlState.map { "SQLSTATE \($0): " } ?? "") + error.description
            self.cause = .database
            self.isTransient = error.isConnectionFailure
        case let error as any StageError:
            self.text = error.description
            self.cause = error.failureCause
            self.isTransient = error.isTransient
        default:
            self.text = String(describing: error)
            self.cause = .unexpected
        }
    }
}
