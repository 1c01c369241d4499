import APIService
import AdrecsDomain
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@Suite struct ReloadTests {
    private func reloader(_ source: InMemorySnapshotSource, _ store: SnapshotStore, _ registry: PrometheusCollectorRegistry)
        -> SnapshotReloader
    {
        SnapshotReloader(store: store, source: source, interval: .seconds(30), listener: nil,
                         metrics: APIMetrics(registry: registry), logger: TestApp.logger)
    }

    private func metric(_ registry: PrometheusCollectorRegistry, _ name: String) -> String? {
        registry.emitToString().split(separator: "\n").first { $0.hasPrefix(name + " ") }
            .map { String($0.dropFirst(name.count + 1)) }
    }

    @Test func failedReloadsKeepTheSnapshotAndAreCounted() async throws {
        let source = InMemorySnapshotSource(days: Fixtures.days())
        let store = SnapshotStore()
        let registry = PrometheusCollectorRegistry()
        let reloader = reloader(source, store, registry)
        #expect(await reloader.reload())
        let loaded = try #require(store.snapshot)
        #expect(await !reloader.reload()) // unchanged: no rebuild
        #expect(store.snapshot === loaded)

        source.fail(true)
        source.commit(Fixtures.day("2025-11-09", dayNumber: 9))
        #expect(await !reloader.reload())
        #expect(await !reloader.reload())
        #expect(store.snapshot === loaded)
        #expect(metric(registry, "adrecs_api_snapshot_reload_failures_total") == "2")

        source.fail(false)
        #expect(await reloader.reload())
        #expect(store.snapshot?.latest.date == Day("2025-11-09"))
        #expect(store.snapshot?.days.count == 7)
    }

    @Test func recommitOfAHeldDayIsPickedUp() async throws {
        let source = InMemorySnapshotSource(days: Fixtures.days())
        let store = SnapshotStore()
        let reloader = reloader(source, store, PrometheusCollectorRegistry())
        await reloader.reload()
        var again = Fixtures.day("2025-11-05", dayNumber: 50)
        again.stamp.runID = "2025-11-05T120000-0000abcd"
        source.commit(again)
        #expect(await reloader.reload())
        #expect(store.snapshot?.days.first { $0.date == Day("2025-11-05") }?.runID == "2025-11-05T120000-0000abcd")
    }

    @Test func aRetractedDayIsDroppedAndRetractingEveryDayServesNothing() async throws {
        let source = InMemorySnapshotSource(days: [Fixtures.day("2025-11-01", dayNumber: 1), Fixtures.day("2025-11-02", dayNumber: 2)])
        let store = SnapshotStore(retirementGrace: .zero)
        let registry = PrometheusCollectorRegistry()
        let reloader = reloader(source, store, registry)
        let latest = "adrecs_latest_committed_date_timestamp_seconds"
        #expect(metric(registry, latest) == "0.0")
        #expect(await reloader.reload())
        #expect(store.snapshot?.latest.date == Day("2025-11-02"))
        #expect(metric(registry, latest) == "1762041600.0") // 2025-11-02T00:00:00Z
        source.retract(try #require(Day("2025-11-02")))
        #expect(await reloader.reload())
        #expect(store.snapshot?.latest.date == Day("2025-11-01") && store.snapshot?.days.count == 1)
        #expect(metric(registry, latest) == "1761955200.0") // 2025-11-01T00:00:00Z
        source.retract(try #require(Day("2025-11-01")))
        #expect(await reloader.reload())
        #expect(store.snapshot == nil)
        #expect(metric(registry, latest) == "0.0")
        #expect(await !reloader.reload())
        source.commit(Fixtures.day("2025-11-03", dayNumber: 3))
        #expect(await reloader.reload())
        #expect(store.snapshot?.latest.date == Day("2025-11-03"))
        #expect(metric(registry, latest) == "1762128000.0") // 2025-11-03T00:00:00Z
    }

    /// The application runs the reloader as a service: not ready, then ready once the source has data.
    @Test(.timeLimit(.minutes(1)))
    func applicationBecomesReadyOnItsOwn() async throws {
        let source = InMemorySnapshotSource()
        let registry = PrometheusCollectorRegistry()
        let app = buildAPI(config: APIConfig(http: .init(port: 0), reloadInterval: .seconds(1)), source: source,
                           listener: nil, logger: TestApp.logger, registry: registry)
        try await app.test(.live) { client in
            #expect(try await client.execute(uri: "/ready", method: .get).status == .serviceUnavailable)
            source.commit(Fixtures.day("2025-11-08", dayNumber: 8))
            let deadline = ContinuousClock.now + .seconds(10)
            var status = HTTPResponse.Status.serviceUnavailable
            while status != .ok, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                status = try await client.execute(uri: "/ready", method: .get).status
            }
            #expect(status == .ok)
            let response = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get)
            #expect(try json(response.body)["date"] as? String == "2025-11-08")
        }
    }
}
