import AdrecsTestSupport
import LibPQ
import Testing

@Suite("LISTEN/NOTIFY", .timeLimit(.minutes(2)))
struct ListenerTests {
    static let fastReconnect = PGRetryPolicy(maxAttempts: nil, initialDelay: .milliseconds(50), maxDelay: .milliseconds(500))

    /// A listener whose connection is recognisable in `pg_stat_activity` by `applicationName`.
    static func listener(_ channels: [String], applicationName: String, reconnect: PGRetryPolicy = fastReconnect) throws -> PGListener {
        let dsn = TestDatabase.dsn(try TestDatabase.databaseURL(), adding: [("application_name", applicationName)])
        return PGListener(PGConnectInfo(dsn), channels: channels, reconnect: reconnect)
    }

    static func backends(_ pool: PGPool, applicationName: String) async throws -> [Int32] {
        try await pool.query("SELECT pid FROM pg_stat_activity WHERE application_name = $1", [applicationName])
            .map { try $0.decode("pid", as: Int32.self) }
    }

    static func waitForBackends(_ pool: PGPool, applicationName: String, count: Int, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await backends(pool, applicationName: applicationName).count == count { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestSetupError("expected \(count) backends named \(applicationName)")
    }

    @Test("notifications arrive in order with channel, payload and sender pid")
    func delivery() async throws {
        try await TestDatabase.with { db in
            let first = TestDatabase.randomName("chan")
            let second = "Weird \"Chan\" ü \(first)"
            let harness = ListenerHarness(try Self.listener([first, second], applicationName: TestDatabase.randomName("listen")))
            defer { harness.task.cancel() }
            try await harness.waitFor("resync markers") { received in received.filter(\.isResync).count == 2 }
            let payload = "ü 世界 ' \" $1 -- payload"
            let sender = try await db.pool.withConnection { conn in
                try conn.notify(first, payload: "a")
                try conn.notify(second, payload: "b")
                try conn.notify(first, payload: payload)
                try conn.notify(first)
                return conn.backendPID
            }
            try await harness.waitFor("four notifications") { $0.filter { !$0.isResync }.count == 4 }
            let received = await harness.inbox.received.filter { !$0.isResync }
            #expect(received == [
                PGNotification(channel: first, payload: "a", pid: sender),
                PGNotification(channel: second, payload: "b", pid: sender),
                PGNotification(channel: first, payload: payload, pid: sender),
                PGNotification(channel: first, payload: "", pid: sender),
            ])
            let markers = await harness.inbox.received.filter(\.isResync)
            #expect(Set(markers.map(\.channel)) == [first, second])
            #expect(markers.allSatisfy { $0.pid == 0 && $0.payload.isEmpty })
        }
    }

    @Test("NOTIFY inside a transaction arrives at COMMIT, never after ROLLBACK")
    func transactional() async throws {
        struct Abort: Error {}
        try await TestDatabase.with { db in
            let channel = TestDatabase.randomName("chan")
            let harness = ListenerHarness(try Self.listener([channel], applicationName: TestDatabase.randomName("listen")))
            defer { harness.task.cancel() }
            try await harness.waitFor("resync marker") { $0.contains(where: \.isResync) }
            await #expect(throws: Abort.self) {
                try await db.pool.transaction { conn in
                    try conn.notify(channel, payload: "rolled back")
                    throw Abort()
                }
            }
            try await db.pool.transaction { conn in
                try conn.notify(channel, payload: "committed")
                try conn.execute("SELECT pg_sleep(0.2)")
                #expect(conn.isInTransaction)
            }
            try await harness.waitFor("the committed notification") { $0.contains { $0.payload == "committed" } }
            let payloads = await harness.inbox.received.filter { !$0.isResync }.map(\.payload)
            #expect(payloads == ["committed"])
        }
    }

    @Test("cancelling the iterating task ends the sequence quickly and closes its connection")
    func cancellation() async throws {
        try await TestDatabase.with { db in
            let name = TestDatabase.randomName("listen")
            let harness = ListenerHarness(try Self.listener([TestDatabase.randomName("chan")], applicationName: name))
            try await harness.waitFor("resync marker") { $0.contains(where: \.isResync) }
            #expect(try await Self.backends(db.pool, applicationName: name).count == 1)
            let start = ContinuousClock.now
            harness.task.cancel()
            await harness.task.value
            #expect(ContinuousClock.now - start < .seconds(20))  // a hang bound: every suite runs at once on 2 cores
            #expect(await harness.inbox.failure == nil)
            try await Self.waitForBackends(db.pool, applicationName: name, count: 0, timeout: .seconds(10))
        }
    }

    @Test("dropping the iterator (break out of the loop) closes the connection")
    func dropIterator() async throws {
        try await TestDatabase.with { db in
            let name = TestDatabase.randomName("listen")
            let listener = try Self.listener([TestDatabase.randomName("chan")], applicationName: name)
            for try await notification in listener {
                #expect(notification.isResync)
                break
            }
            try await Self.waitForBackends(db.pool, applicationName: name, count: 0, timeout: .seconds(10))
        }
    }

    @Test("a connection killed by the server is re-established: resync marker, then delivery again")
    func reconnectAfterKill() async throws {
        try await TestDatabase.with { db in
            let name = TestDatabase.randomName("listen")
            let channel = TestDatabase.randomName("chan")
            let harness = ListenerHarness(try Self.listener([channel], applicationName: name))
            defer { harness.task.cancel() }
            try await harness.waitFor("first resync marker") { $0.filter(\.isResync).count == 1 }
            let victim = try #require(try await Self.backends(db.pool, applicationName: name).first)
            try await db.pool.query("SELECT pg_terminate_backend($1)", [victim])
            try await harness.waitFor("second resync marker") { $0.filter(\.isResync).count == 2 }
            let replacement = try await Self.backends(db.pool, applicationName: name)
            #expect(replacement.count == 1)
            #expect(replacement.first != victim)
            try await db.pool.withConnection { try $0.notify(channel, payload: "after kill") }
            try await harness.waitFor("notification after reconnect") { $0.contains { $0.payload == "after kill" } }
        }
    }

    @Test("with bounded reconnect attempts, an unreachable server ends the sequence with an error")
    func boundedReconnect() async throws {
        let listener = PGListener(
            PGConnectInfo("postgresql://adrecs:s3cr3t-pw@127.0.0.1:1/adrecs?sslmode=disable"), channels: ["c"],
            reconnect: PGRetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50))
        )
        let error = await #expect(throws: PGError.self) {
            for try await _ in listener {}
        }
        #expect(error?.operation == .listen)
        #expect(error?.sqlState == "08001")
        #expect(error?.message.contains("gave up after 2 connection attempts") == true)
        #expect(error.map { "\($0)" }?.contains("s3cr3t-pw") == false)
    }
}
