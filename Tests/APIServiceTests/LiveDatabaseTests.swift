import AdrecsDatabase
import AdrecsDomain
import APIService
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import LibPQ
import Logging
import Prometheus
import Synchronization
import Testing

/// The api against the real PostgreSQL at `DB_URL` (own schema per test): fails when it is down.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct LiveDatabaseTests {
    /// Loads the committed days, serves them exactly, and serves a day committed while it runs
    /// within 2 s of the commit (NOTIFY; the timer is 300 s, so it cannot be the timer), with no
    /// failed request from a client polling throughout.
    @Test func servesCommittedDaysAndPicksUpANewCommitWithinTwoSeconds() async throws {
        try await LiveDatabase.with { database in
            for day in Fixtures.days() { try await database.commit(day) }
            let app = try await buildAPI(reader: database.apiConfig(reloadSeconds: 300), logger: TestApp.logger,
                                         registry: PrometheusCollectorRegistry())
            try await app.test(.live) { client in
                try await client.waitReady()
                let latest = "adrecs_latest_committed_date_timestamp_seconds"
                #expect(try await client.metric(latest) == 1_762_560_000) // 2025-11-08T00:00:00Z
                let product = try json(try await client.execute(uri: "/recommendations/adv2/TopProduct", method: .get).body)
                #expect(product["date"] as? String == "2025-11-08")
                let items = try #require(product["items"] as? [[String: Any]])
                #expect(items.map { $0["product_id"] as? String } == ["p9", "p10", "p11"])
                #expect(items.map { $0["views"] as? Int } == [99, 98, 97])
                let past = try json(try await client.execute(uri: "/recommendations/adv2/TopCTR?date=2025-11-02", method: .get).body)
                let pastItems = try #require(past["items"] as? [[String: Any]])
                #expect(pastItems.map { $0["ctr"] as? Double } == [0.03, 0.02, 0.01])
                let history = try json(try await client.execute(uri: "/history/adv2/", method: .get).body)
                #expect((history["days"] as? [[String: Any]])?.map { $0["date"] as? String }
                        == (2...8).reversed().map { String(format: "2025-11-%02d", $0) })

                let committedAt = Mutex<ContinuousClock.Instant?>(nil)
                let commit = Task {
                    try await Task.sleep(for: .milliseconds(300))
                    try await database.commit(Fixtures.day("2025-11-09", dayNumber: 9))
                    committedAt.withLock { $0 = .now }
                }
                var failures = 0, requests = 0
                var servedAt: ContinuousClock.Instant?
                let deadline = ContinuousClock.now + .seconds(15)
                while servedAt == nil, ContinuousClock.now < deadline {
                    let response = try await client.execute(uri: "/recommendations/adv2/TopCTR", method: .get)
                    requests += 1
                    if response.status != .ok { failures += 1; continue }
                    if try json(response.body)["date"] as? String == "2025-11-09" { servedAt = .now }
                }
                try await commit.value
                let committed = try #require(committedAt.withLock { $0 })
                let served = try #require(servedAt, "the new day was not served within 15 s")
                #expect(served - committed < .seconds(2))
                #expect(failures == 0)
                #expect(requests > 1)
                let after = try json(try await client.execute(uri: "/history/adv2", method: .get).body)
                #expect((after["days"] as? [[String: Any]])?.map { $0["date"] as? String }
                        == (3...9).reversed().map { String(format: "2025-11-%02d", $0) })
                #expect(try await client.metric(latest) == 1_762_646_400) // 2025-11-09T00:00:00Z
            }
        }
    }

    /// PostgreSQL unreachable (the source's pool points at a closed port): requests keep
    /// succeeding from the snapshot and the failures are counted; reachable again: the next commit is served.
    @Test func keepsServingWhilePostgreSQLIsUnreachable() async throws {
        try await LiveDatabase.with { database in
            for day in Fixtures.days() { try await database.commit(day) }
            let real = DayReaderSnapshotSource(reader: DayReader(pool: database.pool))
            let unreachable = DayReaderSnapshotSource(reader: DayReader(pool: PGPool(
                PGConnectInfo("postgresql://adrecs@127.0.0.1:1/adrecs?sslmode=disable&connect_timeout=1"),
                configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1)))))
            let source = SwitchableSource(real: real, unreachable: unreachable)
            let registry = PrometheusCollectorRegistry()
            let app = buildAPI(config: APIConfig(http: .init(port: 0), reloadInterval: .milliseconds(200)),
                               source: source, listener: nil, logger: TestApp.logger, registry: registry)
            try await app.test(.live) { client in
                try await client.waitReady()
                source.down(true)
                try await database.commit(Fixtures.day("2025-11-09", dayNumber: 9))
                let until = ContinuousClock.now + .seconds(2)
                while ContinuousClock.now < until {
                    let response = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get)
                    #expect(response.status == .ok)
                    #expect(try json(response.body)["date"] as? String == "2025-11-08")
                    #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
                    try await Task.sleep(for: .milliseconds(50))
                }
                let failures = try await client.metric("adrecs_api_snapshot_reload_failures_total") ?? 0
                #expect(failures >= 2)

                source.down(false)
                let deadline = ContinuousClock.now + .seconds(10)
                var date: String?
                while date != "2025-11-09", ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    let response = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get)
                    date = try json(response.body)["date"] as? String
                }
                #expect(date == "2025-11-09")
            }
        }
    }
}

/// Delegates to a real source, or to one whose PostgreSQL is unreachable.
final class SwitchableSource: SnapshotSource {
    let real: DayReaderSnapshotSource
    let unreachable: DayReaderSnapshotSource
    private let isDown = Atomic<Bool>(false)

    init(real: DayReaderSnapshotSource, unreachable: DayReaderSnapshotSource) {
        self.real = real
        self.unreachable = unreachable
    }

    func down(_ value: Bool) { isDown.store(value, ordering: .relaxed) }

    private var current: DayReaderSnapshotSource { isDown.load(ordering: .relaxed) ? unreachable : real }

    func committedDays(limit: Int) async throws -> [DayStamp] { try await current.committedDays(limit: limit) }
    func load(limit: Int, into builder: inout SnapshotBuilder) async throws {
        try await current.load(limit: limit, into: &builder)
    }
}
