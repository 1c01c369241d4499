import APIService
import AdrecsRuntime
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import IngestService
import Logging
import ModelsService
import Prometheus
import Testing
import WriterService

/// The services' `build…` functions, as the executables call them, with the tests' own registries.
@Suite struct BuildTests {
    private static let logger = Logger(label: "adrecs.test.build")

    /// The three pipeline stages: name and build function.
    static let stages: [(String, @Sendable (ConfigReader, Logger, PrometheusCollectorRegistry) async throws -> any ApplicationProtocol)] = [
        ("ingest", { try await buildIngest(reader: $0, logger: $1, registry: $2) }),
        ("models", { try await buildModels(reader: $0, logger: $1, registry: $2) }),
        ("writer", { try await buildWriter(reader: $0, logger: $1, registry: $2) }),
    ]

    @Test(arguments: stages)
    func stageServesHealthAndItsMetrics(
        stage: String,
        build: @Sendable (ConfigReader, Logger, PrometheusCollectorRegistry) async throws -> any ApplicationProtocol
    ) async throws {
        let registry = PrometheusCollectorRegistry()
        let app = try await build(try TestConfig.pipeline(["ops.port": "0"]), Self.logger, registry)
        try await Self.check(app, stage: stage)
    }

    /// Opens the existential so HummingbirdTesting gets a concrete application type.
    private static func check(_ app: some ApplicationProtocol, stage: String) async throws {
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(String(buffer: health.body).utf8))
                == ["status": "ok", "version": BuildInfo.current.version, "commit": BuildInfo.current.commit])
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let lines = Set(String(buffer: metrics.body).split(separator: "\n"))
            #expect(lines.contains(#"adrecs_runs_total{stage="\#(stage)",outcome="succeeded"} 0"#))
            #expect(lines.contains(#"adrecs_stage_duration_seconds_count{stage="\#(stage)"} 0"#))
            #expect(try await client.execute(uri: "/nothing", method: .get).status == .notFound)
        }
    }

    @Test func writerServesOnARealSocket() async throws {
        let app = try await buildWriter(reader: try TestConfig.pipeline(["ops.port": "0"]), logger: Self.logger, registry: PrometheusCollectorRegistry())
        try await app.test(.live) { client in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(health.headers[.server] == "adrecs-writer")
        }
    }

    @Test func apiServesHealthAndMetrics() async throws {
        let registry = PrometheusCollectorRegistry()
        let app = try await buildAPI(reader: TestConfig.reader(["port": "0"]), logger: Self.logger, registry: registry)
        try await app.test(.live) { client in
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(try await client.execute(uri: "/recommendations", method: .get).status == .notFound)
        }
    }

    @Test func defaultPortsAreDistinct() throws {
        let empty = try TestConfig.pipeline([:])
        #expect(try IngestConfig(config: empty).ops == OpsHTTPConfig(host: "127.0.0.1", port: 9101))
        #expect(try ModelsConfig(config: empty).ops == OpsHTTPConfig(host: "127.0.0.1", port: 9102))
        #expect(try WriterConfig(config: empty).ops == OpsHTTPConfig(host: "127.0.0.1", port: 9103))
        #expect(try APIConfig(config: empty).http == OpsHTTPConfig(host: "127.0.0.1", port: 8080))
    }

    @Test func aBadPortFailsTheBuildNamingTheVariable() async throws {
        let error = await #expect(throws: ConfigError.self) {
            _ = try await buildWriter(reader: try TestConfig.pipeline(["ops.port": "99999"]), logger: Self.logger, registry: PrometheusCollectorRegistry())
        }
        #expect(error?.environmentName == "OPS_PORT")
    }
}
