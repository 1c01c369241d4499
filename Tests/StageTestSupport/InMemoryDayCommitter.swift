public import AdrecsDatabase
public import AdrecsDomain
public import Logging
import Synchronization

/// A ``DayCommitter`` in memory, for unit tests of the writer stage: it keeps what each commit
/// received and, as ``DayWriter`` does in its transaction, completes the run's writer stage in
/// `ledger`. It can be made to throw for a number of calls first (an unreachable PostgreSQL).
public final class InMemoryDayCommitter: DayCommitter {
    public struct Commit: Sendable, Equatable {
        public var date: Day
        public var runID: String
        public var recommendationsCSV: [UInt8]
        public var advertisersCSV: [UInt8]
    }

    private struct State {
        var commits: [Commit] = []
        var calls = 0
        var failures = 0
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    let ledger: InMemoryLedger?

    public init(completingIn ledger: InMemoryLedger? = nil) {
        self.ledger = ledger
    }

    /// The next `count` calls throw `error`.
    public func fail(_ count: Int, with error: any Error) {
        state.withLock { $0.failures = count; $0.failure = error }
    }

    public var commits: [Commit] { state.withLock { $0.commits } }
    /// Calls made, failed ones included.
    public var calls: Int { state.withLock { $0.calls } }

    public func replaceDay(
        date: Day, runID: String, attempt: Int?, recommendationsCSV: [UInt8], advertisersCSV: [UInt8], logger: Logger
    ) async throws -> DayWriteResult {
        try state.withLock { state in
            state.calls += 1
            if state.failures > 0, let failure = state.failure {
                state.failures -= 1
                throw failure
            }
            state.commits.append(Commit(date: date, runID: runID, recommendationsCSV: recommendationsCSV, advertisersCSV: advertisersCSV))
        }
        let result = DayWriteResult(recommendationRows: Self.rows(recommendationsCSV), advertisers: Self.rows(advertisersCSV))
        try await ledger?.completeStage(
            runID: runID, stage: .writer, attempt: attempt,
            counts: ["recommendation_rows": result.recommendationRows, "advertisers": result.advertisers], s3Keys: [:],
            next: nil, handover: nil)
        return result
    }

    /// The lines of a CSV document after its header.
    static func rows(_ document: [UInt8]) -> Int {
        max(0, document.split(separator: UInt8(ascii: "\n")).count - 1)
    }
}
