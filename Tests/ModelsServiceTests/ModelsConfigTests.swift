import AdrecsRuntime
import AdrecsTestSupport
import Configuration
import ModelsService
import Testing

/// The models service's configuration keys (no servers needed).
@Suite struct ModelsConfigTests {
    static func reader(_ values: [String: String]) -> ConfigReader {
        var all = ["aws.access.key.id": "key", "aws.secret.access.key": "secret"]
        all.merge(values) { $1 }
        return .inMemory(all)
    }

    @Test func defaultsFollowTheDesign() throws {
        let config = try ModelsConfig(config: Self.reader([:]))
        #expect(config.modelsEndpoint == "tcp://127.0.0.1:5557")
        #expect(config.writerEndpoint == "tcp://127.0.0.1:5558")
        #expect(config.sendTimeout == .milliseconds(5000))
        #expect(config.runtime.heartbeat == .seconds(2))
        #expect(config.ops == OpsHTTPConfig(host: "127.0.0.1", port: 9102))
        #expect(config.database.schema == "public" && config.storage.bucket == "adrecs")
    }

    @Test func keysAreRead() throws {
        let config = try ModelsConfig(config: Self.reader([
            "messaging.models.endpoint": "tcp://ingest:6000", "messaging.writer.endpoint": "tcp://writer:6001",
            "messaging.send.timeout.ms": "250", "ledger.heartbeat.seconds": "7", "db.schema": "nightly", "s3.bucket": "b",
        ]))
        #expect(config.modelsEndpoint == "tcp://ingest:6000" && config.writerEndpoint == "tcp://writer:6001")
        #expect(config.sendTimeout == .milliseconds(250) && config.runtime.heartbeat == .seconds(7))
        #expect(config.database.schema == "nightly" && config.storage.bucket == "b")
    }

    @Test(arguments: [
        ("messaging.models.endpoint", "localhost:5557", "MESSAGING_MODELS_ENDPOINT"),
        ("messaging.writer.endpoint", "tcp://a b", "MESSAGING_WRITER_ENDPOINT"),
        ("messaging.send.timeout.ms", "0", "MESSAGING_SEND_TIMEOUT_MS"),
        ("ledger.heartbeat.seconds", "soon", "LEDGER_HEARTBEAT_SECONDS"),
    ])
    func badValuesNameTheirVariable(key: String, value: String, variable: String) throws {
        let error = #expect(throws: ConfigError.self) { try ModelsConfig(config: Self.reader([key: value])) }
        #expect(error?.environmentName == variable)
    }
}
