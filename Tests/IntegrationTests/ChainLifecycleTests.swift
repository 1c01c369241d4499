import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// SIGTERM drains or cleanly gives back work, exits 0 within 10 s, and leaves the ledger consistent.
    @Suite("Chain: SIGTERM", .timeLimit(.minutes(5)))
    struct ChainLifecycleTests {
        @Test(arguments: Chain.Service.allCases)
        func idleServiceExitsZero(_ service: Chain.Service) async throws {
            let chain = try await Chain("idle-\(service.rawValue)")
            do {
                try await chain.start(service, ready: false)
                let clock = ContinuousClock()
                let start = clock.now
                #expect(await chain.stop(service) == 0)
                #expect(clock.now - start < .seconds(10))
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }

        /// A day 40 times the course's, so each stage works long enough to be interrupted.
        static func amplified(_ file: String, _ bytes: [UInt8]) -> [UInt8] {
            guard file != "advertiser_ids" else { return bytes }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n")
            let day = lines.dropFirst().filter { $0.hasSuffix("2025-11-18") }.joined(separator: "\n")
            return Array((String(lines[0]) + "\n" + Array(repeating: day, count: 40).joined(separator: "\n") + "\n").utf8)
        }

        /// Ingest and models work long on a big day; the writer's unit of work (one COPY transaction)
        /// lasts milliseconds, so ``workingWriterCancelsItsTransaction()`` blocks it on a lock.
        @Test(arguments: [Chain.Service.ingest, .models])
        func workingServiceExitsZeroAndLedgerIsConsistent(_ service: Chain.Service) async throws {
            let day = try #require(Day("2025-11-18"))
            let chain = try await Chain("working-\(service.rawValue)")
            do {
                try await chain.startAll()
                try await chain.uploadRaw("course-2025", transform: Self.amplified)
                let run = try await chain.kick(day)
                let stage = try #require(Stage(rawValue: service.rawValue))
                try await chain.waitForStage(run, stage, .running, timeout: .seconds(180))
                let clock = ContinuousClock()
                let start = clock.now
                let status = await chain.stop(service)
                let log = await chain.log(service)
                #expect(status == 0, "\(log.suffix(2_000))")
                #expect(clock.now - start < .seconds(10))
                // Finished, or given back (abandoned) for the next process: never left running.
                let record = try #require(try await chain.ledger.run(id: run))
                let state = try #require(record.stages.first { $0.stage == stage })
                #expect(state.state == .succeeded || (state.state == .queued && state.error?.contains("abandoned") == true),
                        "\(stage): \(state.state) \(state.error ?? "")")
                #expect(record.state != .failed, "a stopped stage must not fail the run: \(record.error ?? "")")
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }

        /// A test connection holds `recommendations` locked, so the writer's day-replacement
        /// transaction blocks while working. SIGTERM cancels its statement on the server: exit 0
        /// within 10 s, the stage given back (abandoned), the committed day untouched; once the lock
        /// is gone the restarted writer completes the same run, with no kick.
        @Test func workingWriterCancelsItsTransaction() async throws {
            let day = try #require(Day("2025-11-18"))
            let expected = try CourseData.expected("course-2025").filter { $0.day == day }
            let chain = try await Chain("working-writer")
            let locker = DatabaseConfig(url: chain.databaseURL, schema: chain.schema, poolSize: 1)
                .makePool(applicationName: "adrecs-it-lock")
            let release = DispatchSemaphore(value: 0)
            var holder: Task<Void, any Error>?
            do {
                try await chain.startAll()
                try await chain.uploadRaw("course-2025")
                let first = try await chain.waitForRun(try await chain.kick(day))
                #expect(first.state == .succeeded, "\(first.error ?? "")")
                let before = try await chain.recommendations(day)
                #expect(CourseData.differences(before, expected).isEmpty)

                holder = Task {
                    try await locker.withConnection { connection in
                        try connection.transaction { connection in
                            try connection.execute("LOCK TABLE recommendations IN ACCESS EXCLUSIVE MODE")
                            release.wait()
                        }
                    }
                }
                try await waitForLocks(chain, granted: true)
                let second = try await chain.kick(day)
                try await chain.waitForStage(second, .writer, .running, timeout: .seconds(60))
                // The writer's transaction waits for the lock: it is working, and stuck.
                try await waitForLocks(chain, granted: false)

                let clock = ContinuousClock()
                let start = clock.now
                let status = await chain.stop(.writer)
                let elapsed = clock.now - start
                let log = await chain.log(.writer)
                #expect(status == 0, "\(log.suffix(2_000))")
                #expect(elapsed < .seconds(10), "exit took \(elapsed)")
                let record = try #require(try await chain.ledger.run(id: second))
                let writer = try #require(record.stages.first { $0.stage == .writer })
                #expect(writer.state == .queued && writer.error == "abandoned: service shutting down", "\(writer.state) \(writer.error ?? "")")
                #expect(record.state == .running)

                release.signal()
                try await holder?.value
                holder = nil
                #expect(try await chain.recommendations(day) == before, "the committed day is untouched")
                let committed = try await chain.pool.query("SELECT run_id FROM committed_days WHERE date = $1::date", [day.description])
                #expect(try committed.first?.decode("run_id", as: String.self) == first.runID)

                try await chain.start(.writer)
                let completed = try await chain.waitForRun(second)
                #expect(completed.state == .succeeded, "\(completed.error ?? "")")
                #expect(completed.stage(.writer)?.attempts == 2)
                let differences = CourseData.differences(try await chain.recommendations(day), expected)
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
            } catch {
                release.signal()
                _ = try? await holder?.value
                await locker.close()
                await chain.tearDown()
                throw error
            }
            await locker.close()
            await chain.tearDown()
        }

        /// Waits until the chain's schema has a lock on `recommendations` that is granted (the test's
        /// `ACCESS EXCLUSIVE`) or not granted (a statement waiting for it).
        private func waitForLocks(_ chain: Chain, granted: Bool) async throws {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                let rows = try await chain.pool.query("""
                    SELECT count(*)::int AS n FROM pg_locks l
                    JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = $1 AND c.relname = 'recommendations' AND l.granted = $2
                    """, [chain.schema, granted])
                if try rows[0].decode("n", as: Int.self) > 0 { return }
                try await Task.sleep(for: .milliseconds(20))
            }
            throw TestSetupError("no \(granted ? "granted" : "waiting") lock on recommendations within 30 s")
        }
    }
}
