import AdrecsTestSupport
import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import LibPQ
import Prometheus
import Testing

/// The api built as the executable builds it, over a private PostgreSQL cluster that the test
/// really stops and starts again (`scripts/pg.sh` on a port and folder of its own).
@Suite(.serialized, .timeLimit(.minutes(5)))
struct PostgreSQLRestartTests {
    static let path = "/recommendations/adv1/TopCTR"

    @Test func keepsServingWhilePostgreSQLIsStoppedAndPicksUpTheNextCommitAfterItStarts() async throws {
        let cluster = try PrivateCluster()
        do {
            try await cluster.start()
            try await LiveDatabase.with(url: cluster.url) { database in
                try await Self.scenario(cluster, database)
            }
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }

    private static func scenario(_ cluster: PrivateCluster, _ database: LiveDatabase) async throws {
        for day in Fixtures.days() { try await database.commit(day) }
        // A 1 s timer, so reloads keep being tried (and fail) while the server is down.
        let app = try await buildAPI(reader: database.apiConfig(reloadSeconds: 1), logger: TestApp.logger,
                                     registry: PrometheusCollectorRegistry())
        try await app.test(.live) { client in
            try await client.waitReady()
            let before = try await client.execute(uri: path, method: .get)
            #expect(try json(before.body)["date"] as? String == "2025-11-08")
            let history = try await client.execute(uri: "/history/adv1/", method: .get).body
            try #require(await listenerConnections(database) == 1, "the api listens before the restart")

            // A client polling throughout, from before the stop until the new day is served.
            let poller = Task { try await poll(client) }

            try await cluster.stop()
            let outageEnds = ContinuousClock.now + .seconds(30)
            var failures = 0.0
            while failures < 2, ContinuousClock.now < outageEnds {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                #expect(response.body == before.body)
                #expect(try await client.execute(uri: "/history/adv1/", method: .get).body == history)
                #expect(try await client.execute(uri: "/ready", method: .get).status == .ok)
                failures = try await client.metric("adrecs_api_snapshot_reload_failures_total") ?? 0
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(failures >= 2, "reload failures are counted while PostgreSQL is down")

            try await cluster.start()
            // The listener reconnects by itself and LISTENs again (bounded wait, not a timing claim).
            let listenBy = ContinuousClock.now + .seconds(30)
            var listening = 0
            while listening != 1, ContinuousClock.now < listenBy {
                try await Task.sleep(for: .milliseconds(200))
                listening = (try? await listenerConnections(database)) ?? 0
            }
            #expect(listening == 1, "the api's LISTEN connection is back after the restart")

            try await database.commit(Fixtures.day("2025-11-09", dayNumber: 9))
            let servedBy = ContinuousClock.now + .seconds(15)
            var date: String?
            while date != "2025-11-09", ContinuousClock.now < servedBy {
                try await Task.sleep(for: .milliseconds(100))
                date = try json(try await client.execute(uri: path, method: .get).body)["date"] as? String
            }
            #expect(date == "2025-11-09", "the day committed after the restart is served")

            poller.cancel()
            let polled = try await poller.value
            #expect(polled.requests > 10)
            #expect(polled.failures == 0, "no failed request while PostgreSQL was stopped and started")
            #expect(polled.dates.isSubset(of: ["2025-11-08", "2025-11-09"]))
        }
    }

    /// Requests `path` until cancelled; counts the responses that are not 200 and the dates served.
    private static func poll(_ client: some TestClientProtocol) async throws -> (requests: Int, failures: Int, dates: Set<String>) {
        var requests = 0, failures = 0
        var dates: Set<String> = []
        while !Task.isCancelled {
            let response: TestResponse
            do {
                response = try await client.execute(uri: path, method: .get)
            } catch where Task.isCancelled {
                break
            }
            requests += 1
            if response.status == .ok {
                dates.insert(try json(response.body)["date"] as? String ?? "")
            } else {
                failures += 1
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return (requests, failures, dates)
    }

    /// The api's connections whose last statement was a `LISTEN` (its listener's).
    private static func listenerConnections(_ database: LiveDatabase) async throws -> Int {
        try await database.pool.query("""
            SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'adrecs-api' AND query LIKE 'LISTEN %'
            """)[0].decode("n", as: Int.self)
    }
}
