import AdrecsHTTP
import AdrecsRuntime
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@Suite struct OpsRoutesTests {
    private static let logger = Logger(label: "adrecs.test.ops")

    /// An ops application on an ephemeral port, with the test's own registry (no global bootstrap).
    private func makeApplication(registry: PrometheusCollectorRegistry, router: Router<BasicRequestContext>? = nil)
        -> some ApplicationProtocol
    {
        OpsHTTP.makeApplication(
            router: router ?? OpsHTTP.makeRouter(registry: registry),
            config: OpsHTTPConfig(port: 0),
            serverName: "adrecs-test",
            logger: Self.logger
        )
    }

    @Test(arguments: [TestingSetup.router, .live])
    func healthAnswersOK(setup: TestingSetup) async throws {
        let app = makeApplication(registry: PrometheusCollectorRegistry())
        try await app.test(setup) { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(try JSONDecoder().decode([String: String].self, from: Data(String(buffer: response.body).utf8))
                == ["status": "ok", "version": BuildInfo.current.version, "commit": BuildInfo.current.commit])
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func metricsExposeRecordedStageMetrics(setup: TestingSetup) async throws {
        let registry = PrometheusCollectorRegistry()
        let metrics = StageMetrics(stage: "models", factory: PrometheusMetricsFactory.adrecs(registry: registry))
        metrics.recordRun(.succeeded, duration: .seconds(42))
        metrics.recordRows(20, .written)
        metrics.recordBytes(1234, .written)
        metrics.recordFailure(.messaging)
        let app = makeApplication(registry: registry)
        try await app.test(setup) { client in
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == OpsHTTP.prometheusContentType)
            let lines = Set(String(buffer: response.body).split(separator: "\n"))
            let expected: [Substring] = [
                #"adrecs_runs_total{stage="models",outcome="succeeded"} 1"#,
                #"adrecs_rows_total{stage="models",kind="written"} 20"#,
                #"adrecs_bytes_total{stage="models",direction="written"} 1234"#,
                #"adrecs_stage_failures_total{stage="models",cause="messaging"} 1"#,
                #"adrecs_stage_duration_seconds_bucket{stage="models",le="30.0"} 0"#,
                #"adrecs_stage_duration_seconds_bucket{stage="models",le="60.0"} 1"#,
                #"adrecs_stage_duration_seconds_bucket{stage="models",le="3600.0"} 1"#,
                #"adrecs_stage_duration_seconds_sum{stage="models"} 42.0"#,
            ]
            #expect(expected.filter { !lines.contains($0) } == [])
        }
    }

    @Test func metricsAndHealthNameTheSameBuild() async throws {
        let build = BuildInfo(version: "1.2.3", commit: "0123456789abcdef0123456789abcdef01234567")
        let app = makeApplication(registry: PrometheusCollectorRegistry.adrecs(build: build))
        try await app.test(.router) { client in
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.split(separator: "\n").contains(
                #"adrecs_build_info{version="1.2.3",commit="0123456789abcdef0123456789abcdef01234567"} 1.0"#))
            let health = String(buffer: try await client.execute(uri: "/health", method: .get).body)
            #expect(health.contains(#""version":"\#(BuildInfo.current.version)""#))
            #expect(health.contains(#""commit":"\#(BuildInfo.current.commit)""#))
        }
        #expect(HealthStatus(status: "ok", build: build).commit == build.commit)
    }

    @Test(arguments: [TestingSetup.router, .live])
    func unknownRoutesAre404(setup: TestingSetup) async throws {
        let app = makeApplication(registry: PrometheusCollectorRegistry())
        try await app.test(setup) { client in
            for uri in ["/", "/healthz", "/metrics/extra", "/runs"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
            }
        }
    }

    @Test func aServiceAddsItsOwnRoutesBesideOps() async throws {
        let registry = PrometheusCollectorRegistry()
        let router = OpsHTTP.makeRouter(registry: registry)
        router.post("/runs") { _, _ in Response(status: .accepted) }
        let app = makeApplication(registry: registry, router: router)
        try await app.test(.router) { client in
            let started = try await client.execute(uri: "/runs", method: .post)
            #expect(started.status == .accepted)
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            let wrongMethod = try await client.execute(uri: "/runs", method: .get)
            #expect(wrongMethod.status == .notFound)
        }
    }
}
