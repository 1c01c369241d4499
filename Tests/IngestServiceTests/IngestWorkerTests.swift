import AdrecsDatabase
import AdrecsDomain
import AdrecsStorage
import AdrecsTestSupport
import AdrecsWire
import Foundation
import IngestService
import Prometheus
import StageTestSupport
import Testing
import ZeroMQ

/// The worker service end to end against the real PostgreSQL and S3 servers, with a PULL
/// socket in the test standing in for the models stage.
@Suite(.offThePool, .timeLimit(.minutes(3)))
struct IngestWorkerTests {
    static let day = Day("2025-11-18")!

    /// `lines` with `planted` inserted after line `index` (1-based, the header is line 1).
    static func plant(_ bytes: [UInt8], _ planted: [String], after index: Int) -> [UInt8] {
        var lines = CourseData.lines(bytes)
        lines.insert(contentsOf: planted, at: index)
        return Array(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// Receives one message within `timeout`, or `nil`.
    static func receive(_ receiver: ZeroMQReceiver, timeout: Duration) async throws -> ZeroMQMessage? {
        try await withThrowingTaskGroup(of: ZeroMQMessage?.self) { group in
            group.addTask { try await receiver.receive() }
            group.addTask { try await Task.sleep(for: timeout); return nil }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func plantedMalformedLinesAreQuarantinedAndTheRunMatchesTheCleanInput() async throws {
        let cleanAdvertisers = try CourseData.bytes("course-2025", "advertiser_ids")
        let cleanProducts = try CourseData.bytes("course-2025", "product_views")
        let cleanAds = try CourseData.bytes("course-2025", "ads_views")
        let long = String(repeating: "L", count: 300)
        let advertiserIds = Self.plant(cleanAdvertisers, ["", "A1,A2", long, "A\u{0}"], after: 3)
        let productViews = Self.plant(cleanProducts, [
            "", "only,two", "a,b,c,d", ",v3w16i,2025-11-18", "OAGTYWN8WFC997VLDJH7,,2025-11-18", "OAGTYWN8WFC997VLDJH7,p,2025-11-31",
            "\(long),p,2025-11-18", "OAGTYWN8WFC997VLDJH7,p\u{0},2025-11-18",
        ], after: 500)
        let adsViews = Self.plant(cleanAds, [
            "", "a,b,c", ",p,click,2025-11-18", "OAGTYWN8WFC997VLDJH7,,click,2025-11-18",
            "OAGTYWN8WFC997VLDJH7,p,click,18-11-2025", "OAGTYWN8WFC997VLDJH7,p,view,2025-11-18",
            "OAGTYWN8WFC997VLDJH7,\(long),click,2025-11-18", "\u{0},p,click,2025-11-18",
        ], after: 1000)
        let expected = Expected(advertiserIds: advertiserIds, productViews: productViews, adsViews: adsViews, day: Self.day)
        let clean = Expected(advertiserIds: cleanAdvertisers, productViews: cleanProducts, adsViews: cleanAds, day: Self.day)
        #expect(Set(expected.malformed[.adsViews, default: []].map(\.reason)) == Set(MalformedReason.allCases))
        #expect(Set(expected.malformed[.productViews, default: []].map(\.reason)) == Set(MalformedReason.allCases).subtracting([.badType]))

        let registry = PrometheusCollectorRegistry()
        let before = Date().timeIntervalSince1970
        var after = before
        try await IngestFixture.with("worker") { fixture in
            try await fixture.uploadRaw([.advertiserIds: advertiserIds, .productViews: productViews, .adsViews: adsViews])
            try await WorkerHarness.with(fixture, registry: registry) { worker, _ in
                let context = try ZeroMQContext()
                let pull = try ZeroMQSocket(context: context, type: .pull)
                try pull.connect(try #require(worker.status.outboxEndpoint))
                let receiver = ZeroMQReceiver(pull)
                defer { Task { await receiver.close() } }

                let run = try await fixture.ledger.kick(date: Self.day)
                let message = try #require(try await Self.receive(receiver, timeout: .seconds(30)))
                let completed = try WireCodec.decode(IngestCompleted.self, from: message.payload)
                let keys = RunKeys(date: Self.day, runID: run.runID)
                #expect(completed == IngestCompleted(
                    runID: run.runID, date: Self.day, productViewsKey: keys.ingestProductViews, adsViewsKey: keys.ingestAdsViews,
                    advertisersKey: keys.ingestAdvertisers, manifestKey: keys.ingestManifest,
                    productViewRows: clean.keptLines[.productViews, default: []].count,
                    adsViewRows: clean.keptLines[.adsViews, default: []].count))

                // The outputs equal those of the clean input; the quarantines hold exactly the planted lines.
                #expect(try await fixture.decompressedText(keys.ingestProductViews) == clean.filtered(.productViews))
                #expect(try await fixture.decompressedText(keys.ingestAdsViews) == clean.filtered(.adsViews))
                #expect(try await fixture.text(keys.ingestQuarantine(.productViews)) == expected.quarantine(.productViews))
                #expect(try await fixture.text(keys.ingestQuarantine(.adsViews)) == expected.quarantine(.adsViews))
                #expect(try await fixture.text(keys.ingestQuarantine(.productViews)).contains("\n502,field_count,only,two\n"))
                #expect(try await fixture.text(keys.ingestQuarantine(.advertiserIds))
                    == "line_number,reason,line\n4,blank_line,\n5,field_count,A1,A2\n6,id_too_long,\(long)\n7,invalid_utf8,A\u{0}\n")

                let manifest = try JSONDecoder().decode(
                    IngestManifest.self, from: Data(try await fixture.client.getObject(bucket: fixture.bucket, key: keys.ingestManifest)))
                #expect(manifest.statistics.productViews.malformedTotal == 8)
                #expect(manifest.statistics.adsViews.malformedTotal == 8)
                #expect(manifest.statistics.adsViews.malformed[.badType] == 1)
                #expect(manifest.statistics.adsViews.malformed[.idTooLong] == 1 && manifest.statistics.adsViews.malformed[.invalidUtf8] == 1)
                #expect(manifest.statistics.advertiserIds.malformedTotal == 4)
                #expect(manifest.statistics.advertiserIds.malformed == [.blankLine: 1, .fieldCount: 1, .idTooLong: 1, .invalidUtf8: 1])

                // The stage completed before the message went out; the run goes on to models.
                let record = try #require(try await fixture.ledger.run(id: run.runID))
                #expect(record.state == .running)
                let ingest = try #require(record.stage(.ingest))
                #expect(ingest.state == .succeeded)
                #expect(ingest.worker == "ingest-test")
                #expect(record.stage(.models)?.state == .queued)
                #expect(ingest.counts["product_views_quarantined"] == manifest.statistics.productViews.malformedTotal)
                #expect(ingest.counts["ads_views_quarantined"] == manifest.statistics.adsViews.malformedTotal)
                #expect(ingest.counts["advertiser_ids_quarantined"] == 4)
                #expect(ingest.counts["product_views_kept"] == manifest.statistics.productViews.rowsKept)
                #expect(ingest.counts["ads_views_read"] == manifest.statistics.adsViews.linesRead)
                #expect(ingest.s3Keys["manifest"] == keys.ingestManifest)
                #expect(ingest.s3Keys["quarantine_ads_views"] == keys.ingestQuarantine(.adsViews))
                after = Date().timeIntervalSince1970
            }
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        let metrics = String(decoding: buffer, as: UTF8.self)
        #expect(metrics.contains(#"adrecs_runs_total{stage="ingest",outcome="succeeded"} 1"#))
        #expect(metrics.contains(#"adrecs_rows_total{stage="ingest",kind="quarantined"} 20"#))
        // The success is stamped with the wall-clock time it was recorded; no run is in progress.
        let lastSuccess = try #require(Self.sample(metrics, #"adrecs_last_success_timestamp_seconds{stage="ingest"}"#))
        #expect(lastSuccess >= before && lastSuccess <= after, "\(lastSuccess) not within \(before)...\(after)")
        #expect(Self.sample(metrics, #"adrecs_stage_running_since_timestamp_seconds{stage="ingest"}"#) == 0)
    }

    /// The value of the sample `series` (name and labels as rendered) in a Prometheus text scrape.
    static func sample(_ metrics: String, _ series: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }

    @Test func aWrongSecretFailsTheIngestStageWithSignatureDoesNotMatch() async throws {
        try await IngestFixture.with("secret") { fixture in
            try await fixture.uploadRaw([.advertiserIds: Array("advertiser_id\nA1\n".utf8)])
            let wrong = fixture.servers.storage(bucket: fixture.bucket, secret: "not-the-secret")
            let registry = PrometheusCollectorRegistry()
            try await WorkerHarness.with(fixture, storage: wrong, registry: registry) { _, _ in
                let run = try await fixture.ledger.kick(date: Self.day)
                let record = try #require(try await WorkerHarness.waitForRun(fixture.ledger, run.runID))
                #expect(record.state == .failed)
                let ingest = try #require(record.stage(.ingest))
                #expect(ingest.state == .failed)
                #expect(ingest.error?.hasPrefix("SignatureDoesNotMatch: ") == true, "\(ingest.error ?? "no error")")
                #expect(record.error?.hasPrefix("ingest: SignatureDoesNotMatch") == true)
                #expect(record.stage(.models)?.state == .pending)
            }
            // A failed run is counted and never stamps a success.
            let metrics = registry.emitToString()
            #expect(Self.sample(metrics, #"adrecs_runs_total{stage="ingest",outcome="failed"}"#) == 1)
            #expect(Self.sample(metrics, #"adrecs_last_success_timestamp_seconds{stage="ingest"}"#) == 0)
            #expect(Self.sample(metrics, #"adrecs_stage_running_since_timestamp_seconds{stage="ingest"}"#) == 0)
        }
    }

    @Test func noModelsWorkerLeavesTheModelsStageQueuedWithItsHandOverInTheLedger() async throws {
        try await IngestFixture.with("nopeer") { fixture in
            try await fixture.uploadRaw([
                .advertiserIds: Array("advertiser_id\nA1\n".utf8),
                .productViews: Array("advertiser_id,product_id,date\nA1,p1,2025-11-18\n".utf8),
                .adsViews: Array("advertiser_id,product_id,type,date\nA1,p1,click,2025-11-18\n".utf8),
            ])
            try await WorkerHarness.with(fixture, sendTimeout: .milliseconds(300)) { _, _ in
                let run = try await fixture.ledger.kick(date: Self.day)
                let record = try await fixture.ledger.waitForRun(run.runID) { $0.stage(.ingest)?.state == .succeeded }
                #expect(record.state == .running)
                #expect(record.stage(.ingest)?.counts["product_views_kept"] == 1)
                #expect(record.stage(.models)?.state == .queued)
                // The message no models worker took is in the ledger, for a models worker to claim later.
                let claim = try #require(try await fixture.ledger.claimNext(stage: .models, worker: "models-test", redeliverAfter: .zero))
                let handover = try WireCodec.decode(IngestCompleted.self, from: Array(try #require(claim.handover).utf8))
                #expect(handover.runID == run.runID && handover.productViewRows == 1)
                #expect(claim.attempt == 1)
            }
        }
    }

    @Test func aRunStillGoingAtShutdownIsAbandonedAndTheWorkerStops() async throws {
        try await IngestFixture.with("abandon") { fixture in
            try await fixture.uploadRaw([
                .advertiserIds: try CourseData.bytes("course-2025", "advertiser_ids"),
                .productViews: try CourseData.bytes("course-2025", "product_views"),
                .adsViews: try CourseData.bytes("course-2025", "ads_views"),
            ])
            var runID = ""
            try await WorkerHarness.with(fixture, abandonAfter: .zero) { _, group in
                runID = try await fixture.ledger.kick(date: Self.day).runID
                while try await fixture.ledger.run(id: runID)?.stage(.ingest)?.state != .running {
                    try await Task.sleep(for: .milliseconds(5))
                }
                await group.triggerGracefulShutdown()
            }
            // Given back for the next ingest process, not failed: a deploy does not lose the night.
            let record = try #require(try await fixture.ledger.run(id: runID))
            #expect(record.state == .running)
            #expect(record.stage(.ingest)?.state == .queued)
            #expect(record.stage(.ingest)?.error == "abandoned: service shutting down")
            #expect(record.stage(.ingest)?.attempts == 1)
        }
    }
}
