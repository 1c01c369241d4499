import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `Tests/faultproxy/s3_fault_proxy.py` (its options: its doc string) in front of an S3 server:
/// it forwards every request unchanged and injects `503 SlowDown`, `403` or lost answers.
public struct FaultProxy: Sendable {
    let process: SpawnedProcess
    /// Where the proxy listens on 127.0.0.1.
    public let port: Int
    /// `http://127.0.0.1:<port>`, for `S3_ENDPOINT`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Runs `body` with a proxy started with `arguments`, then stops it.
    public static func with(
        upstream: String, _ arguments: [String], _ body: (FaultProxy) async throws -> Void
    ) async throws {
        let proxy = try await start(upstream: upstream, arguments)
        do {
            try await body(proxy)
        } catch {
            await proxy.stop()
            throw error
        }
        await proxy.stop()
    }

    private static func start(upstream endpoint: String, _ arguments: [String]) async throws -> FaultProxy {
        let script = Repository.root.appendingPathComponent("Tests/faultproxy/s3_fault_proxy.py").path
        guard let upstream = endpoint.split(separator: "/").last.map(String.init), endpoint.hasPrefix("http://") else {
            throw TestSetupError("the fault proxy forwards to an http:// endpoint, not \(endpoint)")
        }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("adrecs-fault-proxy-\(UUID().uuidString).log").path
        let process = try SpawnedProcess(
            ["/usr/bin/env", "python3", script, "--upstream", upstream] + arguments,
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"], logPath: log)
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening ") }),
                let port = Int(line.dropFirst("listening ".count))
            {
                return FaultProxy(process: process, port: port)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        _ = await process.waitForExit(timeout: .seconds(20))
        throw TestSetupError("the fault proxy did not start within 20 s: \(process.logTail())")
    }

    /// One line per request the proxy handled: `<method> <target> <status>`.
    public var lines: [String] {
        let text = (try? String(contentsOfFile: process.logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("listening ") }
    }

    /// The status of each request: `503`, `200`, …, `dropped`, `lost`.
    public var statuses: [String] { lines.compactMap { $0.split(separator: " ").last.map(String.init) } }

    func stop() async {
        process.signal(SIGTERM)
        if await process.waitForExit(timeout: .seconds(20)) == nil { process.signal(SIGKILL) }
        try? FileManager.default.removeItem(atPath: process.logPath)
    }
}
