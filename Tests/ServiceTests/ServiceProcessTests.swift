import Foundation
import HummingbirdTesting
import Testing

/// Runs the real `adrecs-writer` executable: it must serve `/health` and `/metrics` on `OPS_PORT`
/// and exit 0 on SIGTERM. `swift build --build-tests` (as scripts/test.sh runs) builds it.
@Suite(.timeLimit(.minutes(1)))
struct ServiceProcessTests {
    /// The product next to the test bundle (`.build/<triple>/debug`), else in `.build/debug`.
    static func executable(_ name: String) throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            candidates.append(bundle.deletingLastPathComponent().appendingPathComponent(name))
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/\(name)"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(found, "\(name) not built; run `swift build --build-tests` first (looked in \(candidates.map(\.path)))")
    }

    static func get(_ uri: String, port: Int) async throws -> TestClient.Response {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(2))) {
            try await $0.get(uri)
        }
    }

    @Test func writerServesThenExitsZeroOnSIGTERM() async throws {
        let port = try FreePort.loopback()
        let process = Process()
        process.executableURL = try Self.executable("adrecs-writer")
        process.environment = ["OPS_HOST": "127.0.0.1", "OPS_PORT": "\(port)", "LOG_LEVEL": "info"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.interrupt(); kill(process.processIdentifier, SIGKILL) } }

        // Poll /health until the server answers (or 10 s pass).
        let clock = ContinuousClock()
        let startDeadline = clock.now.advanced(by: .seconds(10))
        var health: TestClient.Response?
        while health == nil, clock.now < startDeadline, process.isRunning {
            health = try? await Self.get("/health", port: port)
            if health == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let ready = try #require(health, "adrecs-writer never answered /health on port \(port)")
        #expect(ready.status == .ok)
        #expect(ready.body.map { String(buffer: $0) } == #"{"status":"ok"}"#)

        let metrics = try await Self.get("/metrics", port: port)
        let lines = Set((metrics.body.map { String(buffer: $0) } ?? "").split(separator: "\n"))
        #expect(lines.contains(#"adrecs_runs_total{stage="writer",outcome="succeeded"} 0"#))
        #expect(lines.contains(#"adrecs_stage_duration_seconds_count{stage="writer"} 0"#))

        #expect(kill(process.processIdentifier, SIGTERM) == 0)
        let exitDeadline = clock.now.advanced(by: .seconds(10))
        while process.isRunning, clock.now < exitDeadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!process.isRunning, "adrecs-writer still running 10 s after SIGTERM")
        if !process.isRunning {
            let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit, "\(log)")
            #expect(process.terminationStatus == 0, "\(log)")
            #expect(log.contains("Service stopped"), "\(log)")
        }
    }
}
