/// One versioned schema change: statements run in order in one transaction, with
/// `search_path` set to the target schema (so names are unqualified).
struct Migration: Sendable {
    let version: Int
    let statements: [String]
}
