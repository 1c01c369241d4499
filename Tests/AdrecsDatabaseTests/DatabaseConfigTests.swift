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
