import Foundation
import LibPQ
import Testing

@Suite("Errors and connecting", .timeLimit(.minutes(2)))
struct ErrorTests {
    @Test("server errors carry SQLSTATE, message and detail")
    func sqlStates() async throws {
        try await TestDatabase.with { db in
            let undefined = await #expect(throws: PGError.self) { try await db.pool.query("SELECT * FROM no_such_table") }
            #expect(undefined?.sqlState == "42P01")
            #expect(undefined?.message == "relation \"no_such_table\" does not exist")
            #expect(undefined?.operation == .query)
            #expect(undefined?.fileID == "LibPQTests/ErrorTests.swift")
            #expect(undefined?.isConnectionFailure == false)

            try await db.pool.execute("CREATE TABLE u (id int4 PRIMARY KEY)")
            try await db.pool.execute("INSERT INTO u VALUES ($1)", [1])
            let unique = await #expect(throws: PGError.self) { try await db.pool.execute("INSERT INTO u VALUES ($1)", [1]) }
            #expect(unique?.sqlState == "23505")
            #expect(unique?.detail == "Key (id)=(1) already exists.")
            #expect(unique.map { "\($0)" }?.contains("[23505]") == true)

            let syntax = await #expect(throws: PGError.self) { try await db.pool.query("SELEC 1") }
            #expect(syntax?.sqlState == "42601")
            let division = await #expect(throws: PGError.self) { try await db.pool.query("SELECT 1 / $1::int4", [0]) }
            #expect(division?.sqlState == "22012")
        }
    }

    @Test("a refused connection is a clear 08001 error that never shows the password")
    func refusedConnection() async throws {
        let pool = PGPool(
            PGConnectInfo("postgresql://adrecs:s3cr3t-pw@127.0.0.1:1/adrecs?sslmode=disable"),
            configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1))
        )
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(error?.sqlState == "08001")
        #expect(error?.operation == .connect)
        #expect(error?.isConnectionFailure == true)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(error?.message.contains("port 1 failed") == true)
        #expect(error.map { "\($0)" }?.contains("s3cr3t-pw") == false)
    }

    @Test("malformed connection strings fail without echoing the password", arguments: [
        "postgresql://adrecs:s3cr3t-pw@[127.0.0.1/adrecs",
        "postgresql://adrecs:s3cr3t-pw%zz@127.0.0.1/adrecs",
        "host=127.0.0.1 password=s3cr3t-pw bogus",
        "host=127.0.0.1 password='s3cr3t-pw",
    ])
    func malformed(_ dsn: String) async throws {
        let info = PGConnectInfo(dsn)
        #expect(!"\(info)".contains("s3cr3t-pw"))
        let pool = PGPool(info, configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1)))
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(error?.sqlState == "08001")
        #expect(error.map { "\($0)" }?.contains("s3cr3t-pw") == false)
        #expect(error?.message.isEmpty == false)
    }

    @Test("the description shows where to connect, not the password")
    func description() {
        let info = PGConnectInfo("postgresql://adrecs:s3cr3t-pw@db.example:5433/adrecs?sslmode=verify-full")
        #expect("\(info)" == "PGConnectInfo(host=db.example port=5433 dbname=adrecs user=adrecs sslmode=verify-full)")
        #expect("\(PGConnectInfo(""))" == "PGConnectInfo(<environment>)")
    }

    @Test("sslmode from the DSN is honoured: require fails against a server without TLS")
    func sslModeHonoured() async throws {
        let url = try TestDatabase.databaseURL().replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        let dsn = url.contains("sslmode=require") ? url : TestDatabase.dsn(url, adding: [("sslmode", "require")])
        let pool = PGPool(PGConnectInfo(dsn), configuration: .init(maxConnections: 1, connectRetry: .init(maxAttempts: 1)))
        let error = await #expect(throws: PGError.self) { try await pool.query("SELECT 1") }
        #expect(error?.message.contains("SSL") == true)
    }

    @Test("key=value DSNs work")
    func keyValue() async throws {
        let url = try TestDatabase.databaseURL()
        let parts = try #require(URLComponents(string: url))
        let keyValue = "host=\(try #require(parts.host)) port=\(try #require(parts.port)) user=\(try #require(parts.user)) "
            + "dbname=\(parts.path.dropFirst()) sslmode=disable application_name=kv_test"
        let pool = PGPool(PGConnectInfo(keyValue))
        let name = try await pool.query("SELECT current_setting('application_name') AS a")[0].decode("a", as: String.self)
        #expect(name == "kv_test")
        let fallback = try await PGPool(PGConnectInfo(url, applicationName: "fallback_test"))
            .query("SELECT current_setting('application_name') AS a")[0].decode("a", as: String.self)
        #expect(fallback == "fallback_test")
    }
}
