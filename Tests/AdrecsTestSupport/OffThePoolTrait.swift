import AdrecsConcurrency
public import Testing

/// Runs each test of a suite (or one test) on dedicated threads instead of Swift's
/// cooperative pool.
///
/// The units run all suites in parallel, and the cooperative pool has one thread per CPU (two
/// on the CI machine). A test that spends seconds in synchronous CPU work (building or comparing
/// many MiB, parsing the course data, running the models in a debug build) would hold a pool
/// thread all that time and starve every other suite's tasks, until unrelated tests hit their
/// time limits. Under this trait the test body and its child tasks (`async let`, task groups)
/// prefer a ``BlockingExecutor``; unstructured `Task {}` does not inherit the preference.
public struct OffThePoolTrait: SuiteTrait, TestTrait, TestScoping {
    /// Dedicated threads shared by every test under the trait, started as tests need them.
    static let executor = BlockingExecutor(label: "adrecs.test.cpu")

    public var isRecursive: Bool { true }

    /// Each test case runs in the scope; the suite itself needs none.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTaskExecutorPreference(Self.executor) { try await function() }
    }
}

extension Trait where Self == OffThePoolTrait {
    /// The test does seconds of synchronous CPU work: run it on dedicated threads, off Swift's
    /// cooperative pool, so that it cannot starve the tests running beside it.
    public static var offThePool: Self { OffThePoolTrait() }
}
