public import Foundation

/// The package's checkout, found from this file's path.
public enum Repository {
    /// `<root>` from `<root>/Tests/AdrecsTestSupport/Repository.swift`.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The debug build's products (`swift build` puts the executables there).
    public static var debugBinaries: URL { root.appendingPathComponent(".build/debug") }
}
