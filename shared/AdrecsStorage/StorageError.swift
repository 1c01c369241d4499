/// A failure of the pipeline's storage layer.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// None of the candidate keys of a raw input exists.
    case rawInputNotFound(input: RawInput, candidates: [String])

    public var description: String {
        switch self {
        case .rawInputNotFound(_, let candidates):
            "raw input not found: \(candidates.joined(separator: " or "))"
        }
    }
}
