import Foundation

/// Environment variables the integration suites need; a missing one fails the test, never skips it.
public enum TestEnvironment {
    public static func require(_ name: String, hint: String = "run the tests through scripts/test.sh") throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestSetupError("\(name) is not set: \(hint)")
        }
        return value
    }

    /// A lower-case name unique to this test run, for schemas, buckets and folders.
    public static func uniqueName(_ prefix: String) -> String {
        prefix + "_" + suffix()
    }

    /// A random lower-case suffix (base 36), for names that share one.
    public static func suffix() -> String {
        String(UInt64.random(in: 0..<UInt64.max), radix: 36)
    }
}
