public import AdrecsPipeline
public import AdrecsRuntime

/// The errors of the models service.
public enum ModelsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither `name` nor `name.csv` exists in the input directory.
    case inputNotFound(directory: String, name: String)
    /// A POSIX call failed on `path`, with its `errno` and message.
    case io(operation: String, path: String, code: Int32, message: String)
    /// An object that should be a zstd-compressed CSV is not one, or ends inside its frame.
    case undecodableObject(key: String, reason: String)

    public var description: String {
        switch self {
        case .inputNotFound(let directory, let name):
            "input file '\(name)' (or '\(name).csv') not found in \(directory)"
        case .io(let operation, let path, let code, let message):
            "\(operation) failed for \(path): \(message) (errno \(code))"
        case .undecodableObject(let key, let reason):
            "object \(key) is not a complete zstd-compressed CSV: \(reason)"
        }
    }
}

extension ModelsError: StageError {
    /// Every models error is about the stage's input.
    public var failureCause: FailureCause { .input }
}
