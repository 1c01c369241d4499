import AdrecsRuntime
import Configuration
import Foundation
import Logging
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ lines: Lines) -> Logger {
        Logger(label: "adrecs.test") { _ in
            JSONLogHandler(now: { "2026-12-06T03:04:05.678Z" }, write: lines.append)
        }
    }

    @Test func writesOneJSONObjectPerLine() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: LogKeys.service] = "api"
        logger.info("Service starting", metadata: [
            LogKeys.settings: ["DB_URL": "postgresql://a@b/c", "PORT": "8080"],
            "list": [.string("a"), .stringConvertible(42)],
            "tricky": "quote \" backslash \\ newline \n tab \t bell \u{07} é",
        ])
        logger.debug("not at the level")
        let written = lines.all
        try #require(written.count == 1)
        let line = written[0]
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line.hasPrefix(#"{"timestamp":"2026-12-06T03:04:05.678Z","level":"info","message":"Service starting","metadata":{"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["message"] as? String == "Service starting")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata[LogKeys.service] as? String == "api")
        #expect((metadata[LogKeys.settings] as? [String: String])?["PORT"] == "8080")
        #expect(metadata["list"] as? [String] == ["a", "42"])
        #expect(metadata["tricky"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é")
    }

    @Test func callMetadataWinsOverTheLoggers() throws {
        let lines = Lines()
        var logger = logger(lines)
        logger[metadataKey: "k"] = "logger"
        logger.warning("Message", metadata: ["k": "call"])
        let line = try #require(lines.all.first)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect((object["metadata"] as? [String: String])?["k"] == "call")
        #expect(object["level"] as? String == "warning")
    }

    @Test func timestampIsISO8601UTCWithMilliseconds() throws {
        let stamp = JSONLogHandler.timestamp()
        #expect(stamp.count == 24)
        #expect(stamp.hasSuffix("Z"))
        let parsed = try #require(try? Date(stamp, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
        #expect(abs(parsed.timeIntervalSinceNow) < 3600)
    }

    @Test(arguments: [("json", LoggingConfig.Format.json), ("TEXT", .text)])
    func readsTheFormat(raw: String, expected: LoggingConfig.Format) throws {
        let reader = ConfigReader(provider: InMemoryProvider(values: ["log.format": .init(.string(raw), isSecret: false)]))
        #expect(try LoggingConfig(config: reader).format == expected)
        #expect(try LoggingConfig(config: ConfigReader(provider: InMemoryProvider(values: [:]))).format == .text)
    }

    @Test func rejectsAnUnknownFormatNamingTheVariable() {
        let reader = ConfigReader(provider: InMemoryProvider(values: ["log.format": "xml"]))
        #expect(throws: ConfigError(key: "log.format", message: "expected 'text' or 'json', got 'xml'")) {
            try LoggingConfig(config: reader)
        }
    }
}
