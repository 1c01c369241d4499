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

        /// models dies holding the day's message (taken into its socket, never claimed): restarted,
        /// it claims the stage from the ledger's hand-over; no kick, and readers see only whole days.
        @Test func modelsKilledHoldingTheMessageCompletesTheDayWithoutAKick() async throws {
            let expected = try Self.expected()
            try await Self.withCommittedDay("models-killed") { chain in
                let committedRows = try await chain.recommendations(Self.day).count
                #expect(committedRows == expected.count)
                let probe = await ChainSuites.ChainRecoveryTests.ReaderProbe(chain)
                let models = try #require(await chain.process(.models))
                models.signal(SIGSTOP)  // it takes the message into its socket but cannot process it
                let interrupted = try await chain.kick(Self.day)
                try await chain.waitForStage(interrupted, .ingest, .succeeded)
                try await Task.sleep(for: .milliseconds(300))
                #expect(await chain.stop(.models, signal: SIGKILL) == 128 + SIGKILL)
                try await chain.start(.models)

                let run = try await chain.waitForRun(interrupted)
                #expect(run.state == .succeeded, "\(run.error ?? "")")
                #expect(run.stage(.models)?.attempts == 1)
                #expect(try await probe.stop() == [committedRows], "a reader saw another row count")
                #expect(try await chain.ledger.runs(date: Self.day).count == 2)
                let differences = CourseData.differences(try await chain.recommendations(Self.day), expected)
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            }
        }

        /// PostgreSQL stops for 60 s while the writer works the day (caught mid-stage: its S3
        /// download held by a relay): the writer keeps running and the day is committed once
        /// PostgreSQL is back, with no kick.
        @Test func postgresStoppedWhileTheWriterWorksThenTheDayIsCommittedWithoutAKick() async throws {
            let cluster = try PrivateCluster()
            try await cluster.start()
            defer { Task { await cluster.remove() } }
            let relay = try TCPRelay(targetPort: try ChainSuites.ChainRecoveryTests.s3Port())
            defer { relay.close() }
            try await Self.withCommittedDay("pg-down", databaseURL: cluster.url) { chain in
                #expect(await chain.stop(.writer) == 0)
                try await chain.start(.writer, ["S3_ENDPOINT": "http://127.0.0.1:\(relay.port)", "WRITER_RETRY_SECONDS": "120"])
                try await chain.waitForLog(.writer, "Stage endpoints ready")
                relay.hold()
                let interrupted = try await chain.kick(Self.day)
                try await chain.waitForStage(interrupted, .writer, .running)
                #expect(try await chain.http(.writer, "/ready").status == 200)
                try await cluster.stop()
                relay.release()
                try await Task.sleep(for: .seconds(60))
                let writer = try #require(await chain.process(.writer))
                #expect(await writer.waitForExit(timeout: .zero) == nil, "the writer must keep running:\n\(writer.logTail())")
                // Alive but cut off from its database: not ready.
                #expect(try await chain.http(.writer, "/ready").status == 503)
                #expect(try await chain.http(.writer, "/health").status == 200)
                try await cluster.start()

                let run = try await chain.waitForRun(interrupted, timeout: .seconds(90))
                let tails = run.state == .succeeded ? "" : await chain.logTails()
                #expect(run.state == .succeeded, "\(run.error ?? "")\n\(tails)")
                #expect(await chain.log(.writer).contains("PostgreSQL unreachable, retrying"))
                // Ready again once it reaches PostgreSQL (its next sweep, at most a few seconds).
                let deadline = ContinuousClock.now + .seconds(20)
                while try await chain.http(.writer, "/ready").status != 200 && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(try await chain.http(.writer, "/ready").status == 200)
                #expect(try await chain.ledger.runs(date: Self.day).count == 2)
                let differences = CourseData.differences(try await chain.recommendations(Self.day), try Self.expected())
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            }
        }
    }
}
