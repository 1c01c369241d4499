import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Synchronization
import Testing

extension ChainSuites {
    /// The chain under failures: bad credentials, a crashed stage, PostgreSQL down, S3 throttling.
    @Suite("Chain: failures", .timeLimit(.minutes(5)))
    struct ChainFailureTests {
        static let folder = "course-2025"
        static let day = Day("2025-11-18")!

        static func expected() throws -> [Recommendation] {
            try CourseData.expected(folder).filter { $0.day == day }
        }

        /// Runs `body` with a started chain holding the course raw input and one committed day.
        static func withCommittedDay(_ name: String, databaseURL: String? = nil, _ body: (Chain) async throws -> Void) async throws {
            let chain = try await Chain(name, databaseURL: databaseURL)
            do {
                try await chain.startAll()
                try await chain.uploadRaw(folder)
                let first = try await chain.waitForRun(try await chain.kick(day))
                let tails = first.state == .succeeded ? "" : await chain.logTails()
                try #require(first.state == .succeeded, "baseline run: \(first.error ?? "")\n\(tails)")
                try await body(chain)
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }

        @Test func wrongS3CredentialsFailIngestAndKeepTheDay() async throws {
            try await Self.withCommittedDay("bad-credentials") { chain in
                let before = try await chain.recommendations(Self.day)
                #expect(await chain.stop(.ingest) == 0)
                try await chain.start(.ingest, ["AWS_SECRET_ACCESS_KEY": "not-the-secret"])
                let run = try await chain.waitForRun(try await chain.kick(Self.day))
                #expect(run.state == .failed)
                let ingest = try #require(run.stages.first { $0.stage == .ingest })
                #expect(ingest.state == .failed)
                #expect(ingest.error?.contains("SignatureDoesNotMatch") == true, "ingest error: \(ingest.error ?? "none")")
                #expect(run.error?.contains("SignatureDoesNotMatch") == true)
                #expect(run.stages.filter { $0.stage != .ingest }.allSatisfy { $0.state == .pending })
                #expect(try await chain.recommendations(Self.day) == before)
            }
        }

        /// S3 answers `503 SlowDown` to every request for 10 s, from the restarted stages' first
        /// request on (through `Tests/faultproxy/s3_fault_proxy.py`): their retries outlast it and
        /// the run succeeds with the expected rows.
        @Test func s3SlowingDownForTenSecondsIsRetriedThrough() async throws {
            let expected = try Self.expected()
            let upstream = try TestEnvironment.require("S3_ENDPOINT")
            try await Self.withCommittedDay("s3-slowdown") { chain in
                try await FaultProxy.with(upstream: upstream, ["--slowdown-seconds", "10"]) { proxy in
                    for service in [Chain.Service.models, .ingest, .writer] { #expect(await chain.stop(service) == 0) }
                    for service in [Chain.Service.writer, .ingest, .models] {
                        try await chain.start(service, ["S3_ENDPOINT": proxy.endpoint])
                    }
                    let run = try await chain.waitForRun(try await chain.kick(Self.day))
                    let tails = run.state == .succeeded ? "" : await chain.logTails()
                    #expect(run.state == .succeeded, "\(run.error ?? "")\n\(tails)")
                    #expect(proxy.statuses.filter { $0 == "503" }.count >= 3, "\(proxy.lines.prefix(20))")
                    let differences = CourseData.differences(try await chain.recommendations(Self.day), expected)
                    #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
                }
            }
        }

        /// models dies holding the day's message; the day stays whole for readers, and a new kick completes it.
        @Test func modelsKilledMidRunThenRekickedCompletesTheDay() async throws {
            let expected = try Self.expected()
            try await Self.withCommittedDay("models-killed") { chain in
                let committedRows = try await chain.recommendations(Self.day).count
                #expect(committedRows == expected.count)
                let polling = Atomic<Bool>(true)
                let reader = chain.reader
                let partialReads = Task {
                    var seen: Set<Int> = []
                    while polling.load(ordering: .relaxed) {
                        seen.insert(try await reader.recommendations(date: Self.day.description).count)
                    }
                    return seen
                }
                let models = try #require(await chain.process(.models))
                models.signal(SIGSTOP)  // it takes the message into its socket but cannot process it
                let interrupted = try await chain.kick(Self.day)
                try await chain.waitForStage(interrupted, .ingest, .succeeded)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await chain.stop(.models, signal: SIGKILL) == 128 + SIGKILL)
                try await chain.start(.models)

                let rerun = try await chain.waitForRun(try await chain.kickWhenAllowed(Self.day))
                #expect(rerun.state == .succeeded, "\(rerun.error ?? "")")
                polling.store(false, ordering: .relaxed)
                #expect(try await partialReads.value == [committedRows], "a reader saw another row count")
                let abandoned = try #require(try await chain.ledger.run(id: interrupted))
                #expect(abandoned.state == .failed)
                #expect(abandoned.error?.contains("abandoned") == true, "\(abandoned.error ?? "")")
                let differences = CourseData.differences(try await chain.recommendations(Self.day), expected)
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            }
        }

        /// PostgreSQL stops while the writer holds the day: it retries, fails clearly, keeps running;
        /// once PostgreSQL is back a new kick completes the day.
        @Test func postgresStoppedDuringWriterThenRekickCompletes() async throws {
            let cluster = try PrivateCluster()
            try await cluster.start()
            defer { Task { await cluster.remove() } }
            try await Self.withCommittedDay("pg-down", databaseURL: cluster.url) { chain in
                let writer = try #require(await chain.process(.writer))
                writer.signal(SIGSTOP)
                let interrupted = try await chain.kick(Self.day)
                try await chain.waitForStage(interrupted, .models, .succeeded)
                try await cluster.stop()
                writer.signal(SIGCONT)
                try await Task.sleep(for: .seconds(12))
                #expect(await writer.waitForExit(timeout: .zero) == nil, "the writer must keep running:\n\(writer.logTail())")
                try await cluster.start()
                let rerun = try await chain.waitForRun(try await chain.kickWhenAllowed(Self.day, timeout: .seconds(60)))
                #expect(rerun.state == .succeeded, "\(rerun.error ?? "")")
                let log = await chain.log(.writer)
                #expect(log.contains(interrupted), "the writer's log names the failed run:\n\(writer.logTail())")
                let differences = CourseData.differences(try await chain.recommendations(Self.day), try Self.expected())
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            }
        }
    }
}
