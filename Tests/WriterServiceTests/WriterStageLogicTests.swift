import AdrecsDatabase
import AdrecsDomain
import AdrecsRuntime
import AdrecsStorage
import AdrecsWire
import LibPQ
import StageTestSupport
import Testing
import WriterService

/// The writer stage's logic in its runtime, on an in-memory ledger, object store and committer:
/// no server.
@Suite(.timeLimit(.minutes(1)))
struct WriterStageLogicTests {
    static let day = Day("2025-11-17")!
    static let bucket = "adrecs"
    static let runID = "2025-11-17T000000-0000unit"
    static var keys: RunKeys { RunKeys(date: day, runID: runID) }

    static let recommendations = RecommendationCSV.header + "\n"
        + "2025-11-17,A1,TopProduct,1,p1,3,,,\n2025-11-17,A1,TopCTR,1,p2,,1,1,1\n"
    static let advertisers = RecommendationCSV.advertisersDocument(["A1", "A2"])

    static func store() async throws -> InMemoryObjectStore {
        let store = InMemoryObjectStore()
        try await store.putObject(bucket: bucket, key: keys.modelsRecommendations, bytes: Array(recommendations.utf8), contentType: "text/csv")
        try await store.putObject(bucket: bucket, key: keys.modelsAdvertisers, bytes: Array(advertisers.utf8), contentType: "text/csv")
        return store
    }

    /// The hand-over message of the run, as the previous stage writes it; `date` replaces its day on the wire.
    static func handover(date: String = "2025-11-17") -> String {
        let message = ModelsCompleted(
            runID: runID, date: day, recommendationsKey: keys.modelsRecommendations, advertisersKey: keys.modelsAdvertisers,
            recommendationRows: 2, advertisers: 2)
        return String(decoding: WireCodec.encode(message), as: UTF8.self)
            .replacingOccurrences(of: "\"\(day)\"", with: "\"\(date)\"")
    }

    /// Works the writer stage of the run; `committer` is given the ledger to complete the stage in.
    static func work(
        _ store: InMemoryObjectStore, handover: String = handover(), retryBudget: Duration = .seconds(10),
        prepare: (InMemoryDayCommitter) -> Void = { _ in }
    ) async throws -> (InMemoryLedger.State, InMemoryDayCommitter) {
        let ledger = InMemoryLedger()
        let committer = InMemoryDayCommitter(completingIn: ledger)
        prepare(committer)
        let job = WriterStage(store: store, bucket: bucket, committer: committer, retryBudget: retryBudget, metrics: StageMetrics(stage: "writer"))
        let state = try await ledger.work(job, RunClaim(runID: runID, date: day, stage: .writer, handover: handover))
        return (state, committer)
    }

    static let connectionLost = PGError(.query, sqlState: "08006", message: "server closed the connection unexpectedly")

    @Test func commitsTheModelsDocumentsForTheDay() async throws {
        let (ledger, committer) = try await Self.work(try await Self.store())
        let commit = try #require(committer.commits.first)
        #expect(committer.commits.count == 1)
        #expect(commit.date == Self.day && commit.runID == Self.runID)
        #expect(commit.recommendationsCSV == Array(Self.recommendations.utf8))
        #expect(commit.advertisersCSV == Array(Self.advertisers.utf8))
        #expect(ledger.completed.map(\.counts) == [["recommendation_rows": 2, "advertisers": 2]])
        #expect(ledger.failed.isEmpty && ledger.released.isEmpty)
    }

    @Test func anUnreachableDatabaseIsRetriedUntilTheDayCommits() async throws {
        let (ledger, committer) = try await Self.work(try await Self.store()) { $0.fail(2, with: Self.connectionLost) }
        #expect(committer.calls == 3)
        #expect(committer.commits.count == 1)
        #expect(ledger.completed.count == 1 && ledger.failed.isEmpty && ledger.released.isEmpty)
    }

    @Test func aDatabaseUnreachableForTheWholeBudgetGivesTheStageBack() async throws {
        let (ledger, committer) = try await Self.work(try await Self.store(), retryBudget: .milliseconds(300)) {
            $0.fail(.max, with: Self.connectionLost)
        }
        #expect(committer.commits.isEmpty)
        #expect(ledger.failed.isEmpty && ledger.completed.isEmpty)
        #expect(ledger.released.first?.cause.hasPrefix("PostgreSQL unreachable: gave up after") == true, "\(ledger.released)")
    }

    @Test func anInvalidDateFailsTheRunAndCommitsNothing() async throws {
        let (ledger, committer) = try await Self.work(try await Self.store(), handover: Self.handover(date: "2025-13-40"))
        #expect(ledger.failed.count == 1)
        #expect(ledger.failed.first?.error.contains("2025-13-40") == true, "\(ledger.failed)")
        #expect(committer.calls == 0 && ledger.released.isEmpty)
    }

    @Test func aMissingDocumentFailsTheRunWithNoSuchKey() async throws {
        let (ledger, committer) = try await Self.work(InMemoryObjectStore())
        #expect(ledger.failed.first?.error.hasPrefix("NoSuchKey") == true, "\(ledger.failed)")
        #expect(committer.calls == 0 && ledger.released.isEmpty)
    }
}
