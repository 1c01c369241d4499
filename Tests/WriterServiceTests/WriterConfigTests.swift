import AdrecsRuntime
import AdrecsTestSupport
import Configuration
import S3Store
import Testing
import WriterService

/// The writer service's configuration keys (no servers needed).
@Suite struct WriterConfigTests {
    static func reader(_ values: [String: String]) -> ConfigReader {
        var all = ["aws.access.key.id": "key", "aws.secret.access.key": "secret"]
        all.merge(values) { $1 }
        return .inMemory(all)
    }

    @Test func defaultsFollowTheDesign() throws {
        let config = try WriterConfig(config: Self.reader([:]))
        #expect(config.writerEndpoint == "tcp://127.0.0.1:5558")
        #expect(config.runtime.heartbeat == .seconds(2))
        #expect(config.retryBudget == .seconds(180))
        #expect(config.minRowsFraction == 0.5)
        #expect(config.ops == OpsHTTPConfig(host: "127.0.0.1", port: 9103))
    }

    @Test func keysAreRead() throws {
        let config = try WriterConfig(config: Self.reader([
            "messaging.writer.endpoint": "tcp://0.0.0.0:7000", "writer.retry.seconds": "3", "ledger.heartbeat.seconds": "1",
            "writer.min.rows.fraction": "0.25",
        ]))
        #expect(config.writerEndpoint == "tcp://0.0.0.0:7000" && config.retryBudget == .seconds(3) && config.runtime.heartbeat == .seconds(1))
        #expect(config.minRowsFraction == 0.25)
        #expect(try WriterConfig(config: Self.reader(["writer.min.rows.fraction": "0"])).minRowsFraction == 0)
    }

    @Test(arguments: [
        ("writer.retry.seconds", "-1", "WRITER_RETRY_SECONDS"),
        ("messaging.writer.endpoint", "5558", "MESSAGING_WRITER_ENDPOINT"),
        ("writer.min.rows.fraction", "1.5", "WRITER_MIN_ROWS_FRACTION"),
        ("writer.min.rows.fraction", "-0.1", "WRITER_MIN_ROWS_FRACTION"),
        ("writer.min.rows.fraction", "half", "WRITER_MIN_ROWS_FRACTION"),
        ("writer.min.rows.fraction", "nan", "WRITER_MIN_ROWS_FRACTION"),
    ])
    func badValuesNameTheirVariable(key: String, value: String, variable: String) throws {
        let error = #expect(throws: ConfigError.self) { try WriterConfig(config: Self.reader([key: value])) }
        #expect(error?.environmentName == variable)
    }

    @Test func aKeyWithoutItsSecretFailsTheBuild() throws {
        let keyOnly = ConfigReader(provider: InMemoryProvider(values: ["aws.access.key.id": "k"]))
        let error = #expect(throws: ConfigError.self) { try WriterConfig(config: keyOnly) }
        #expect(error?.environmentName == "AWS_SECRET_ACCESS_KEY")
    }

    @Test func withoutKeysTheCredentialChainIsUsed() throws {
        let empty = ConfigReader(provider: InMemoryProvider(values: [:]))
        #expect(try WriterConfig(config: empty).storage.credentials is S3CredentialsChain)
    }
}
