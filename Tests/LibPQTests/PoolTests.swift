import AdrecsTestSupport
import Foundation
import LibPQ
import Logging
import ServiceLifecycle
import Testing

@Suite("Connection pool", .timeLimit(.minutes(2)))
struct PoolTests {
    @Test("closures run in parallel on blocking threads, not on the cooperative pool")
    func parallelBlocking() async throws {
        // More blocking calls than twice the cooperative pool's width (one thread per core): on
        // that pool they would need at least three rounds of 0.5 s.
        let calls = 2 * ProcessInfo.processInfo.activeProcessorCount + 2
        try await TestDatabase.with(maxConnections: calls) { db in
            try await db.pool.query("SELECT 1")
            let barrier = ThreadBarrier(parties: calls)
            let results = try await withThrowingTaskGroup(of: (Int32, Bool).self) { group in
                for _ in 0..<calls {
                    group.addTask {
                        try await db.pool.withConnection { conn in
                            try conn.execute("SELECT 1")
                            return (conn.backendPID, barrier.arriveAndWait())
                        }
                    }
                }
                return try await group.reduce(into: [(Int32, Bool)]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0.1 }, "every closure was blocked at the same time as all the others")
            #expect(Set(results.map(\.0)).count == calls)
        }
    }

    @Test("never more than maxConnections connections; callers wait their turn")
    func bounded() async throws {
        try await TestDatabase.with(maxConnections: 2) { db in
            let pids = try await withThrowingTaskGroup(of: Int32.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await db.pool.withConnection { conn in
                            try conn.execute("SELECT pg_sleep(0.05)")
                            return conn.backendPID
                        }
                    }
                }
                return try await group.reduce(into: [Int32]()) { $0.append($1) }
            }
            #expect(pids.count == 10)
            #expect(Set(pids).count == 2)
        }
    }

    @Test("a waiting caller can be cancelled")
    func cancelWaiter() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            // The holder keeps the one connection until the waiter is cancelled (ordered by
            // flags, not by sleeps: the unit phase runs every suite at once on 2 cores).
            let (held, release) = (TestFlag(), TestFlag())
            let holder = Task { try await db.pool.withConnection { _ in held.set(); return release.blockUntilSet() } }
            #expect(try await held.waitUntilSet())
            let waiter = Task { try await db.pool.withConnection { $0.backendPID } }
            try await Task.sleep(for: .milliseconds(100))
            let start = ContinuousClock.now
            waiter.cancel()
            await #expect(throws: CancellationError.self) { try await waiter.value }
            #expect(ContinuousClock.now - start < .seconds(20))  // a hang bound
            release.set()
            #expect(try await holder.value)
            #expect(try await db.pool.query("SELECT 1 AS one")[0].decode("one", as: Int.self) == 1)
        }
    }

    @Test("a caller waits at most maxWait for a connection, then fails with a pool timeout")
    func boundedWait() async throws {
        try await TestDatabase.with { db in
            let pool = PGPool(db.info, configuration: .init(maxConnections: 1, maxWait: .seconds(1)))
            let (held, release) = (TestFlag(), TestFlag())
            let holder = Task { try await pool.withConnection { _ in held.set(); return release.blockUntilSet() } }
            #expect(try await held.waitUntilSet())
            let start = ContinuousClock.now
            let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
            #expect(ContinuousClock.now - start >= .seconds(1))
            #expect(error?.isPoolTimeout == true)
            #expect(error?.isConnectionFailure == false)
            #expect(error?.description.contains("no connection of the pool (1) became free within 1.0 seconds") == true)
            release.set()
            #expect(try await holder.value)
            // A waiter served in time is unaffected by its timer.
            let served = try await pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self)
            #expect(served == 1)
            await pool.close()
        }
    }

    @Test("as a service, the pool serves until graceful shutdown reaches it, then is closed")
    func service() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            let group = ServiceGroup(services: [db.pool], logger: Logger(label: "adrecs.test.pool"))
            let running = Task { try await group.run() }
            let one = try await db.pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self)
            #expect(one == 1)
            await group.triggerGracefulShutdown()
            try await running.value
            let error = await #expect(throws: PGError.self) { try await db.pool.query("SELECT 1") }
            #expect(error?.description.contains("the pool is closed") == true)
        }
    }

    @Test("as a service cancelled with its group, the pool stays open for the work still finishing")
    func serviceCancelled() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            let group = ServiceGroup(services: [db.pool], logger: Logger(label: "adrecs.test.pool"))
            let running = Task { try await group.run() }
            try await db.pool.query("SELECT 1")
            running.cancel()
            _ = try? await running.value
            let one = try await db.pool.query("SELECT 1 AS one").first?.decode("one", as: Int.self)
            #expect(one == 1)
        }
    }

    @Test("a connection that dies inside a closure is replaced for the next caller")
    func brokenDuringClosure() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            let first = try await db.pool.withConnection { $0.backendPID }
            let error = await #expect(throws: PGError.self) {
                try await db.pool.query("SELECT pg_terminate_backend(pg_backend_pid())")
            }
            #expect(error?.isConnectionFailure == true)
            let second = try await db.pool.withConnection { conn in
                (conn.backendPID, try conn.query("SELECT 2 AS two")[0].decode("two", as: Int.self))
            }
            #expect(second.0 != first)
            #expect(second.1 == 2)
        }
    }

    @Test("an idle connection killed by the server is noticed and replaced before use")
    func brokenWhileIdle() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            let first = try await db.pool.withConnection { $0.backendPID }
            let admin = PGPool(db.info)
            try await admin.query("SELECT pg_terminate_backend($1)", [first])
            let deadline = ContinuousClock.now + .seconds(20)
            while try await !admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [first]).isEmpty {
                #expect(ContinuousClock.now < deadline)
                try await Task.sleep(for: .milliseconds(20))
            }
            let second = try await db.pool.withConnection { $0.backendPID }
            #expect(second != first)
            await admin.close()
        }
    }

    @Test("connecting is retried with backoff, then fails with a clear error")
    func boundedConnectRetries() async throws {
        let pool = PGPool(
            PGConnectInfo("postgresql://adrecs@127.0.0.1:1/adrecs?sslmode=disable&connect_timeout=2"),
            configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 3, initialDelay: .milliseconds(100)))
        )
        let start = ContinuousClock.now
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        #expect(error?.sqlState == "08001")
        #expect(error?.message.hasPrefix("could not connect after 3 attempts: connection to server at \"127.0.0.1\", port 1 failed") == true)
    }

    @Test("a closed pool refuses work")
    func closed() async throws {
        try await TestDatabase.with { db in
            try await db.pool.query("SELECT 1")
            await db.pool.close()
            let error = await #expect(throws: PGError.self) { try await db.pool.query("SELECT 1") }
            #expect(error?.operation == .pool)
        }
    }

    /// A store isolated to an actor, as a service keeps its snapshot.
    actor Snapshot {
        private(set) var labels: [String] = []

        func reload(from pool: PGPool, minimum: Int) async throws {
            labels = try await pool.withConnection { conn in
                try conn.query("SELECT 'ad-' || g AS label FROM generate_series($1::int4, 3) g", [minimum])
                    .map { try $0.decode("label", as: String.self) }
            }
        }
    }

    @Test("usable from an actor: the closure runs off the actor, the result comes back to it")
    func fromActor() async throws {
        try await TestDatabase.with { db in
            let snapshot = Snapshot()
            try await snapshot.reload(from: db.pool, minimum: 1)
            #expect(await snapshot.labels == ["ad-1", "ad-2", "ad-3"])
        }
    }

    @Test("cancelling the task cancels its running statement; the transaction rolls back, the connection is kept")
    func cancelRunningStatement() async throws {
        try await TestDatabase.with(maxConnections: 1) { db in
            try await db.pool.execute("CREATE TABLE marks (n int)")
            let first = try await db.pool.withConnection { $0.backendPID }
            let started = ContinuousClock.now
            let work = Task {
                try await db.pool.transaction { conn in
                    try conn.execute("INSERT INTO marks VALUES (1)")
                    try conn.execute("SELECT pg_sleep(30)")
                    try conn.execute("INSERT INTO marks VALUES (2)")
                }
            }
            try await Task.sleep(for: .milliseconds(500))
            work.cancel()
            let error = await #expect(throws: PGError.self) { try await work.value }
            #expect(error?.sqlState == "57014", "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(20))  // well before pg_sleep(30) ends
            let after = try await db.pool.withConnection { conn in
                (conn.backendPID, try conn.query("SELECT count(*)::int AS n FROM marks")[0].decode("n", as: Int.self))
            }
            #expect(after.0 == first, "the cancelled connection went back to the pool")
            #expect(after.1 == 0, "the transaction was rolled back")
        }
    }

    @Test("retry delays grow exponentially up to the cap")
    func retryDelays() {
        let policy = PGRetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(100), maxDelay: .milliseconds(500), multiplier: 2)
        #expect((1...5).map { policy.delay(afterAttempt: $0) } == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
        #expect(policy.allowsAttempt(after: 3))
        #expect(!policy.allowsAttempt(after: 4))
        #expect(PGRetryPolicy.forever.allowsAttempt(after: 1_000_000))
    }
}
