import AdrecsTestSupport
import LibPQ
import Testing

@Suite("Server restart", .serialized, .timeLimit(.minutes(2)))
struct RestartTests {
    @Test("the pool and the listener recover by themselves when their server restarts")
    func restart() async throws {
        let cluster = try PrivateCluster()
        do {
            try await cluster.start()
            try await Self.scenario(cluster)
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }

    static func scenario(_ cluster: PrivateCluster) async throws {
        let info = PGConnectInfo(cluster.url)
        let retry = PGRetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(100), maxDelay: .seconds(1))
        let pool = PGPool(info, configuration: .init(maxConnections: 2, connectRetry: retry))
        let channel = "restart_events"
        let listener = ListenerHarness(PGListener(
            info, channels: [channel],
            reconnect: PGRetryPolicy(maxAttempts: nil, initialDelay: .milliseconds(100), maxDelay: .milliseconds(500))
        ))
        defer { listener.task.cancel() }
        let bounded = ListenerHarness(PGListener(
            info, channels: [channel],
            reconnect: PGRetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50), maxDelay: .milliseconds(100))
        ))
        defer { bounded.task.cancel() }
        try await listener.waitFor("the first resync marker") { $0.filter(\.isResync).count == 1 }
        try await bounded.waitFor("the bounded listener's resync marker") { $0.filter(\.isResync).count == 1 }

        let before = try await pool.withConnection { conn in
            try conn.notify(channel, payload: "before")
            return conn.backendPID
        }
        try await listener.waitFor("the notification before the restart") { $0.contains { $0.payload == "before" } }

        // Down: queries fail after the bounded retries; the bounded listener gives up.
        try await cluster.stop()
        let start = ContinuousClock.now
        let down = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(ContinuousClock.now - start >= .milliseconds(700))
        #expect(down?.operation == .connect)
        #expect(down?.sqlState == "08001")
        #expect(down?.message.hasPrefix("could not connect after 4 attempts: connection to server at \"127.0.0.1\", port \(cluster.port) failed") == true)
        try await bounded.waitForEnd()
        let gaveUp = await bounded.inbox.failure
        #expect(gaveUp?.operation == .listen)
        #expect(gaveUp?.message.hasPrefix("gave up after 3 connection attempts") == true)

        // Up again: the next query succeeds on a new connection; the listener resubscribes.
        try await cluster.start()
        let after = try await pool.withConnection { conn in
            (conn.backendPID, try conn.query("SELECT 41 + $1::int4 AS v", [1])[0].decode("v", as: Int.self))
        }
        #expect(after.1 == 42)
        #expect(after.0 != before)
        try await listener.waitFor("the resync marker after the restart") { $0.filter(\.isResync).count == 2 }
        try await pool.withConnection { try $0.notify(channel, payload: "after") }
        try await listener.waitFor("the notification after the restart") { $0.contains { $0.payload == "after" } }

        // Restart while the pool is idle: the dead connection is replaced before use, no query fails.
        try await cluster.stop()
        try await cluster.start()
        let third = try await pool.withConnection { $0.backendPID }
        #expect(third != after.0)
        try await listener.waitFor("the resync marker after the second restart") { $0.filter(\.isResync).count == 3 }
        try await pool.withConnection { try $0.notify(channel, payload: "after second restart") }
        try await listener.waitFor("the notification after the second restart") {
            $0.contains { $0.payload == "after second restart" }
        }
        #expect(await listener.inbox.ended == false)
        await pool.close()
    }
}
