/// The one error type of `AdrecsDatabase` (PostgreSQL failures themselves are `LibPQ.PGError`s).
public enum LedgerError: Error, Equatable, CustomStringConvertible {
    /// A run of `date` is queued or running and has shown activity recently (HTTP 409).
    case runInProgress(runID: String, date: String)
    /// No run has this id.
    case unknownRun(String)
    /// The stage is not `running` for this run (a stale or duplicate worker): nothing was changed.
    case stageNotRunning(runID: String, stage: Stage)
    /// A CSV row to load carries another date than the day being replaced: nothing was changed.
    case wrongDate(expected: String, found: String)
    /// A schema name that does not match `^[a-z_][a-z0-9_]{0,62}$`.
    case invalidSchema(String)
    /// A kick for a date later than tomorrow (UTC), the latest date a run may be for (HTTP 400).
    case futureDate(date: String, latest: String)
    /// Nothing is committed for this date, so there is nothing to retract (HTTP 404).
    case dayNotCommitted(String)

    public var description: String {
        switch self {
        case .runInProgress(let runID, let date):
            "a run of \(date) is already in progress: \(runID)"
        case .unknownRun(let runID):
            "unknown run \(runID)"
        case .stageNotRunning(let runID, let stage):
            "stage \(stage.rawValue) of run \(runID) is not running"
        case .wrongDate(let expected, let found):
            "a row is dated \(found), not \(expected)"
        case .invalidSchema(let name):
            "invalid schema name '\(name)'"
        case .futureDate(let date, let latest):
            "\(date) is later than tomorrow (\(latest), UTC): a run may not be kicked for a future date"
        case .dayNotCommitted(let date):
            "no day is committed for \(date)"
        }
    }
}
