import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// Nobody at night: a stage killed while it works, a stage down at hand-over time, a replica
    /// lost. Each night ends committed and exact with no further kick, and readers never see a
    /// partial day.
    @Suite("Chain: recovery without a kick", .timeLimit(.minutes(5)))
    struct ChainRecoveryTests {
        static let day = ChainFailureTests.day

        /// Polls the committed day's row count until stopped; returns every count seen.
        final class ReaderProbe: Sendable {
            let stopped = TestFlag()
            let task: Task<Set<Int>, any Error>

            init(_ chain: Chain) async {
                let reader = chain.reader
                let stopped = self.stopped
                task = Task {
                    var seen: Set<Int> = []
                    while !stopped.isSet {
                        seen.insert(try await reader.recommendations(date: ChainRecoveryTests.day.description).count)
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    return seen
                }
            }

            func stop() async throws -> Set<Int> {
                stopped.set()
                return try await task.value
            }
        }

        /// The S3 server's port, for a relay in front of it.
        static func s3Port() throws -> Int {
            let endpoint = try TestEnvironment.require("S3_ENDPOINT")
            guard let port = URLComponents(string: endpoint)?.port else { throw TestSetupError("S3_ENDPOINT has no port: \(endpoint)") }
            return port
        }

        /// Checks the committed day against expected.csv, that only the one run was kicked after
        /// the baseline, and that readers saw only whole days.
        static func checkCommitted(_ chain: Chain, runID: String, probe: ReaderProbe, committedRows: Int) async throws -> RunRecord {
            let run = try await chain.waitForRun(runID, timeout: .seconds(90))
            let tails = run.state == .succeeded ? "" : await chain.logTails()
            #expect(run.state == .succeeded, "\(run.error ?? "")\n\(tails)")
            #expect(try await chain.ledger.runs(date: Self.day).count == 2, "a run was kicked besides the baseline and this one")
            #expect(try await probe.stop() == [committedRows], "a reader saw another row count")
            let differences = CourseData.differences(try await chain.recommendations(Self.day), try ChainFailureTests.expected())
            #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            return run
        }

        /// SIGKILL of a stage while it works (its S3 requests held by a relay, so it is caught
        /// mid-stage), then a restart: the supervisor finds the heartbeat stale, queues the stage
        /// again and the restarted service completes the day.
        @Test(arguments: [Chain.Service.ingest, .models, .writer])
        func aStageKilledWhileItWorksIsRedoneAfterARestart(_ stage: Chain.Service) async throws {
            let relay = try TCPRelay(targetPort: try Self.s3Port())
            defer { relay.close() }
            try await ChainFailureTests.withCommittedDay("killed-\(stage.rawValue)") { chain in
                let committedRows = try await chain.recommendations(Self.day).count
                let viaRelay = ["S3_ENDPOINT": "http://127.0.0.1:\(relay.port)"]
                #expect(await chain.stop(stage) == 0)
                try await chain.start(stage, viaRelay)
                if stage != .models { try await chain.waitForLog(stage, "Stage endpoints ready") }
                let probe = await ReaderProbe(chain)

                relay.hold()
                let runID = try await chain.kick(Self.day)
                let ledgerStage = try #require(Stage(rawValue: stage.rawValue))
                try await chain.waitForStage(runID, ledgerStage, .running)
                #expect(await chain.stop(stage, signal: SIGKILL) == 128 + SIGKILL)
                relay.release()
                try await chain.start(stage, viaRelay)

                let run = try await Self.checkCommitted(chain, runID: runID, probe: probe, committedRows: committedRows)
                let record = try #require(run.stage(ledgerStage))
                #expect(record.attempts == 2, "attempts: \(record.attempts)")
                #expect(record.error == nil)
                var logs = ""
                for service in [Chain.Service.ingest, .models, .writer] { logs += await chain.log(service) }
                #expect(logs.contains("stage queued again"), "no supervisor queued the stage again")
            }
        }

        /// The next stage is down when the previous one hands over, and starts 20 s later: the
        /// hand-over waits in the ledger and the started service claims it.
        @Test(arguments: [Chain.Service.models, .writer])
        func theNextStageDownAtHandOverCompletesTheDayWhenItStarts(_ next: Chain.Service) async throws {
            try await ChainFailureTests.withCommittedDay("down-\(next.rawValue)") { chain in
                let committedRows = try await chain.recommendations(Self.day).count
                let probe = await ReaderProbe(chain)
                #expect(await chain.stop(next) == 0)
                let runID = try await chain.kick(Self.day)
                let ledgerStage = try #require(Stage(rawValue: next.rawValue))
                try await chain.waitForStage(runID, ledgerStage, .queued)
                try await Task.sleep(for: .seconds(20))
                #expect(try await chain.ledger.run(id: runID)?.state == .running, "the run must wait for its stage")
                try await chain.start(next)

                let run = try await Self.checkCommitted(chain, runID: runID, probe: probe, committedRows: committedRows)
                #expect(run.stage(ledgerStage)?.attempts == 1)
            }
        }

        /// Two models processes; the one working the day dies: the other completes it.
        @Test func withTwoModelsTheSurvivorCompletesTheDayOfTheOneKilled() async throws {
            let relay = try TCPRelay(targetPort: try Self.s3Port())
            defer { relay.close() }
            try await ChainFailureTests.withCommittedDay("two-models") { chain in
                let committedRows = try await chain.recommendations(Self.day).count
                #expect(await chain.stop(.models) == 0)
                try await chain.start(.models, ["S3_ENDPOINT": "http://127.0.0.1:\(relay.port)"])
                let probe = await ReaderProbe(chain)

                relay.hold()
                let runID = try await chain.kick(Self.day)
                try await chain.waitForStage(runID, .models, .running)
                let survivor = try await chain.startReplica(.models, name: "models-2")
                #expect(await chain.stop(.models, signal: SIGKILL) == 128 + SIGKILL)

                let run = try await Self.checkCommitted(chain, runID: runID, probe: probe, committedRows: committedRows)
                let models = try #require(run.stage(.models))
                #expect(models.attempts == 2)
                #expect(models.worker?.hasSuffix(":\(survivor.pid)") == true, "worker \(models.worker ?? "none"), survivor pid \(survivor.pid)")
            }
        }
    }
}
