import AdrecsRuntime
import Configuration
import Testing
@testable import AdrecsDatabase

struct DatabaseConfigTests {
    private func reader(_ values: [String: String]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
            (AbsoluteConfigKey(stringLiteral: $0.key), ConfigValue(.string($0.value), isSecret: false))
        })))
    }

    @Test func defaults() throws {
        let config = try DatabaseConfig(config: reader([:]))
        #expect(config.url == DatabaseConfig.defaultURL)
        #expect(config.schema == "public")
        #expect(config.poolSize == 4)
        #expect(config.timeouts == DatabaseConfig.Timeouts(
            connect: 10, statement: 300, lock: 60, poolWait: 60, keepaliveIdle: 30, keepaliveInterval: 10, keepaliveCount: 3))
    }

    @Test func readsTheTimeouts() throws {
        let config = try DatabaseConfig(config: reader([
            "db.connect.timeout.seconds": "5", "db.statement.timeout.seconds": "0", "db.lock.timeout.seconds": "15",
            "db.pool.wait.seconds": "45", "db.keepalive.idle.seconds": "20", "db.keepalive.interval.seconds": "4",
            "db.keepalive.count": "6",
        ]))
        #expect(config.timeouts == DatabaseConfig.Timeouts(
            connect: 5, statement: 0, lock: 15, poolWait: 45, keepaliveIdle: 20, keepaliveInterval: 4, keepaliveCount: 6))
    }

    @Test(arguments: [
        ("db.connect.timeout.seconds", "1"), ("db.connect.timeout.seconds", "x"), ("db.statement.timeout.seconds", "-1"),
        ("db.lock.timeout.seconds", "1.5"), ("db.pool.wait.seconds", "0"), ("db.keepalive.idle.seconds", "0"),
        ("db.keepalive.interval.seconds", ""), ("db.keepalive.count", "101"),
    ])
    func rejectsBadTimeouts(_ key: String, _ value: String) {
        let error = #expect(throws: ConfigError.self) { try DatabaseConfig(config: reader([key: value])) }
        #expect(error?.key == key)
    }

    @Test func timeoutsGoIntoTheConnectionStringUnlessItSetsThem() {
        let settings = [("statement_timeout", "300000"), ("lock_timeout", "60000")]
        let keywords = [("connect_timeout", "10"), ("keepalives", "1")]
        #expect(DatabaseConfig.conninfo(
            url: "postgresql://h/db?sslmode=require&connect_timeout=3", schema: "s", settings: settings, keywords: keywords)
            == "postgresql://h/db?sslmode=require&connect_timeout=3"
            + "&options=-c%20search_path%3Ds%20-c%20statement_timeout%3D300000%20-c%20lock_timeout%3D60000&keepalives=1")
        #expect(DatabaseConfig.conninfo(url: "host=h connect_timeout=3", schema: "s", settings: settings, keywords: keywords)
            == "connect_timeout=10 keepalives=1 host=h connect_timeout=3 "
            + "options='-c search_path=s -c statement_timeout=300000 -c lock_timeout=60000'")
    }

    @Test func readsEveryKey() throws {
        let config = try DatabaseConfig(config: reader([
            "db.url": "postgresql://u:pw@db:5433/x?sslmode=require", "db.schema": "adrecs_ci", "db.pool.size": "9",
        ]))
        #expect(config.url == "postgresql://u:pw@db:5433/x?sslmode=require")
        #expect(config.schema == "adrecs_ci")
        #expect(config.poolSize == 9)
    }

    @Test(arguments: ["Public", "1abc", "a-b", "x;drop", "", String(repeating: "a", count: 64)])
    func rejectsBadSchemas(_ schema: String) {
        #expect(throws: ConfigError.self) { try DatabaseConfig(config: reader(["db.schema": schema])) }
    }

    @Test(arguments: ["0", "-1", "x", "65"])
    func rejectsBadPoolSizes(_ size: String) {
        #expect(throws: ConfigError.self) { try DatabaseConfig(config: reader(["db.pool.size": size])) }
    }

    @Test func acceptsLongestSchemaName() throws {
        let name = "_" + String(repeating: "a9", count: 31)
        #expect(name.count == 63)
        #expect(try DatabaseConfig(config: reader(["db.schema": name])).schema == name)
    }

    @Test(arguments: [
        ("postgresql://adrecs@h:5432/db?sslmode=disable",
         "postgresql://adrecs@h:5432/db?sslmode=disable&options=-c%20search_path%3Dtest_s"),
        ("postgres://h/db", "postgres://h/db?options=-c%20search_path%3Dtest_s"),
        ("postgresql://h/db?options=-c%20work_mem%3D64MB&sslmode=verify-full",
         "postgresql://h/db?options=-c%20work_mem%3D64MB%20-c%20search_path%3Dtest_s&sslmode=verify-full"),
        ("host=h dbname=db sslmode=require", "host=h dbname=db sslmode=require options='-c search_path=test_s'"),
        ("", "options='-c search_path=test_s'"),
    ])
    func searchPathIsAddedAndTheRestKept(_ url: String, _ expected: String) {
        #expect(DatabaseConfig.conninfo(url: url, schema: "test_s") == expected)
    }
}
