import AdrecsRuntime
import AdrecsTestSupport
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import IngestService
import Logging
import Prometheus
import Testing

/// `buildIngest` as the executable runs it: ops routes, control routes and the worker.
@Suite(.timeLimit(.minutes(2)))
struct BuildIngestTests {
    static func reader(_ values: [String: String]) -> ConfigReader {
        .inMemory(values)
    }

    @Test func aKickThroughTheBuiltServiceRunsTheWorker() async throws {
        try await IngestFixture.with("build") { fixture in
            let servers = fixture.servers
            let registry = PrometheusCollectorRegistry()
            let app = try await buildIngest(
                reader: Self.reader([
                    "ops.port": "0", "db.url": servers.databaseURL, "db.schema": fixture.schema,
                    "s3.endpoint": servers.s3Endpoint, "s3.region": servers.s3Region, "s3.bucket": fixture.bucket,
                    "aws.access.key.id": servers.accessKeyID, "aws.secret.access.key": servers.secretAccessKey,
                    "messaging.models.endpoint": "tcp://127.0.0.1:*", "messaging.send.timeout.ms": "200",
                ]),
                logger: fixture.logger, registry: registry)
            try await app.test(.router) { client in
                #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
                let kicked = try await client.execute(uri: "/runs", method: .post, body: ByteBuffer(string: #"{"date":"2025-11-20"}"#))
                #expect(kicked.status == .accepted)
                let runID = try #require(
                    (try JSONSerialization.jsonObject(with: Data(kicked.body.readableBytesView)) as? [String: Any])?["run_id"] as? String)
                // The bucket has no raw input: the worker fails the ingest stage, naming the key.
                let record = try #require(try await WorkerHarness.waitForRun(fixture.ledger, runID, timeout: .seconds(20)))
                #expect(record.state == .failed)
                #expect(record.stage(.ingest)?.error == "raw input not found: raw/advertiser_ids or raw/advertiser_ids.csv")
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"adrecs_stage_failures_total{stage="ingest",cause="input"} 1"#))
                #expect(metrics.contains(#"adrecs_runs_total{stage="ingest",outcome="failed"} 1"#))
            }
        }
    }

    @Test func aSecretWithoutItsKeyFailsTheBuildNamingTheVariable() async throws {
        let error = await #expect(throws: ConfigError.self) {
            _ = try await buildIngest(
                reader: Self.reader(["ops.port": "0", "aws.secret.access.key": "s"]), logger: Logger(label: "test"),
                registry: PrometheusCollectorRegistry())
        }
        #expect(error?.environmentName == "AWS_ACCESS_KEY_ID")
    }

    @Test func readsTheConfiguration() throws {
        let config = try IngestConfig(config: Self.reader([
            "aws.access.key.id": "k", "aws.secret.access.key": "s", "ledger.heartbeat.seconds": "5",
            "messaging.send.timeout.ms": "1500", "ingest.raw.layout": "daily",
        ]))
        #expect(config.runtime.heartbeat == .seconds(5))
        #expect(config.runtime.staleAfter == .seconds(30))
        #expect(config.messaging == IngestMessagingConfig(modelsEndpoint: "tcp://127.0.0.1:5557", sendTimeout: .milliseconds(1500)))
        #expect(config.rawLayout.style == .daily)
        #expect(config.ops.port == 9101)
        #expect(throws: ConfigError.self) {
            try IngestConfig(config: Self.reader(["aws.access.key.id": "k", "aws.secret.access.key": "s", "ledger.stale.seconds": "0"]))
        }
    }
}
