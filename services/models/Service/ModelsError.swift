import AdrecsPipeline

/// The errors of the models service.
public enum ModelsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither `name` nor `name.csv` exists in the input directory.
    case inputNotFound(directory: String, name: String)
    /// A POSIX call failed on `path`, with its `errno` and message.
    case io(operation: String, path: String, code: Int32, message: String)
    /// A message named a date that is not a calendar date `YYYY-MM-DD`.
    case invalidDate(String)
    /// An object that should be a zstd-compressed CSV is not one, or ends inside its frame.
    case undecodableObject(key: String, reason: String)
    /// The ledger no longer lists the stage as `running` under this claim.
    case stageNoLongerRunning(runID: String, stage: String)
    /// The message that handed the stage its work is missing or unreadable.
    case invalidHandover(String)

    public var description: String {
        switch self {
        case .inputNotFound(let directory, let name):
            "input file '\(name)' (or '\(name).csv') not found in \(directory)"
        case .io(let operation, let path, let code, let message):
            "\(operation) failed for \(path): \(message) (errno \(code))"
        case .invalidDate(let text):
            "invalid date '\(text)' (expected YYYY-MM-DD)"
        case .undecodableObject(let key, let reason):
            "object \(key) is not a complete zstd-compressed CSV: \(reason)"
        case .stageNoLongerRunning(let runID, let stage):
            Self.noLongerRunningText(runID: runID, stage: stage)
        case .invalidHandover(let text):
            text
        }
    }
}
