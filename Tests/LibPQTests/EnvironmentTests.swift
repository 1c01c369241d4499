import AdrecsTestSupport
import Foundation
import LibPQ
import Testing

/// An empty DSN makes libpq read `PGHOST`, `PGPORT`, … Setting those in this process would race
/// with other tests reading the environment, so the test re-runs itself in a child process
/// (the same test binary, filtered to this test) with the keys set there.
@Suite("libpq environment keys", .timeLimit(.minutes(2)))
struct EnvironmentTests {
    static let childMarker = "LIBPQ_TESTS_ENVIRONMENT_CHILD"

    @Test("with an empty DSN, libpq's PG* environment keys choose the server")
    func environmentKeys() async throws {
        let environment = ProcessInfo.processInfo.environment
        if environment[Self.childMarker] == "1" {
            let row = try await PGPool(PGConnectInfo("")).query(
                "SELECT current_database() AS db, current_setting('application_name') AS a, inet_server_port() AS p"
            )[0]
            #expect(try row.decode("db", as: String.self) == environment["PGDATABASE"])
            #expect(try row.decode("a", as: String.self) == environment["PGAPPNAME"])
            #expect(try row.decode("p", as: Int.self) == Int(environment["PGPORT"] ?? ""))
            return
        }
        let parts = try #require(URLComponents(string: try TestDatabase.databaseURL()))
        let host = try #require(parts.host)
        let port = try #require(parts.port)
        let user = try #require(parts.user)
        var child = environment
        child["DB_URL"] = nil
        child[Self.childMarker] = "1"
        child["PGHOST"] = host
        child["PGPORT"] = "\(port)"
        child["PGUSER"] = user
        child["PGDATABASE"] = String(parts.path.dropFirst())
        child["PGSSLMODE"] = "disable"
        child["PGAPPNAME"] = "env_test"
        let log = FileManager.default.temporaryDirectory.appending(path: "\(TestDatabase.randomName("libpq-env")).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let arguments = [CommandLine.arguments[0], "--testing-library", "swift-testing",
                         "--filter", "LibPQTests.EnvironmentTests/environmentKeys"]
        let status = try await SpawnedProcess.run(arguments, environment: child, logPath: log.path)
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(status == 0, "child test run failed:\n\(output)")
        // The child must really have run the test, not matched nothing.
        #expect(output.contains("Test run with 1 test"), "child test run did not run the test:\n\(output)")
    }
}
