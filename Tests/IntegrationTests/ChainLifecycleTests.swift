import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// SIGTERM drains or cleanly abandons work, exits 0 within 10 s, and leaves the ledger consistent.
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

        /// The writer's unit of work (one COPY transaction) lasts milliseconds; its interruption is
        /// covered by the PostgreSQL-down test, where it works through retries.
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
                // Finished or abandoned, never left running.
                let record = try #require(try await chain.ledger.run(id: run))
                let state = try #require(record.stages.first { $0.stage == stage })
                #expect(state.state == .succeeded || (state.state == .failed && state.error?.contains("abandoned") == true),
                        "\(stage): \(state.state) \(state.error ?? "")")
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }
    }
}
