import AdrecsRuntime
import Configuration
import Testing

@Suite struct OpsHTTPConfigTests {
    private func reader(_ values: [String: String]) -> ConfigReader {
        ConfigReader(provider: InMemoryProvider(values: Dictionary(uniqueKeysWithValues: values.map {
            (AbsoluteConfigKey($0.key.split(separator: ".").map(String.init)), ConfigValue(.string($0.value), isSecret: false))
        })))
    }

    @Test func defaultsToLoopbackAndTheCallersPort() throws {
        let config = try OpsHTTPConfig(config: reader([:]), defaultPort: 9103)
        #expect(config == OpsHTTPConfig(host: "127.0.0.1", port: 9103))
    }

    @Test(arguments: [("0.0.0.0", "9200", 9200), ("localhost", "0", 0), ("::1", "65535", 65535)])
    func readsHostAndPort(host: String, port: String, expected: Int) throws {
        let config = try OpsHTTPConfig(config: reader(["ops.host": host, "ops.port": port]), defaultPort: 9101)
        #expect(config == OpsHTTPConfig(host: host, port: expected))
    }

    @Test(arguments: ["http", "-1", "65536", "80 ", ""])
    func rejectsABadPortNamingTheVariable(raw: String) {
        #expect(throws: ConfigError(key: "ops.port", message: "not a port number (0...65535) '\(raw)'")) {
            try OpsHTTPConfig(config: reader(["ops.port": raw]), defaultPort: 9101)
        }
        #expect(ConfigError(key: "ops.port", message: "").environmentName == "OPS_PORT")
    }

    @Test(arguments: ["", "a host"])
    func rejectsABadHost(raw: String) {
        #expect(throws: ConfigError(key: "ops.host", message: "not a host name or address '\(raw)'")) {
            try OpsHTTPConfig(config: reader(["ops.host": raw]), defaultPort: 9101)
        }
    }

    @Test func readsOtherKeysForTheAPI() throws {
        let values = reader(["http.host": "0.0.0.0", "port": "8081", "ops.port": "9999"])
        let config = try OpsHTTPConfig(config: values, hostKey: "http.host", portKey: "port", defaultPort: 8080)
        #expect(config == OpsHTTPConfig(host: "0.0.0.0", port: 8081))
        #expect(ConfigError(key: "port", message: "").environmentName == "PORT")
    }
}
