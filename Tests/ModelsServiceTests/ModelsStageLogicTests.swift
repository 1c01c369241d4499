import AdrecsDatabase
import AdrecsDomain
import AdrecsRuntime
import AdrecsStorage
import AdrecsWire
import Foundation
import ModelsService
import StageTestSupport
import Testing
import Zstd

/// The models stage's logic in its runtime, on an in-memory ledger and object store: no server.
@Suite(.timeLimit(.minutes(1)))
struct ModelsStageLogicTests {
    static let day = Day("2025-11-17")!
    static let bucket = "adrecs"
    static let runID = "2025-11-17T000000-0000unit"
    static var keys: RunKeys { RunKeys(date: day, runID: runID) }

    static let advertisers = "advertiser_id\nA1\nA2\n"
    static let productViews = """
        advertiser_id,product_id,date
        A1,p1,2025-11-17
        A1,p1,2025-11-17
        A1,p2,2025-11-17
        A1,p1,2025-11-17
        A2,p3,2025-11-17
        A2,p3,2025-11-17

        """
    static let adsViews = """
        advertiser_id,product_id,type,date
        A1,p1,impression,2025-11-17
        A1,p1,impression,2025-11-17
        A1,p1,click,2025-11-17
        A1,p2,impression,2025-11-17
        A1,p2,click,2025-11-17
        A2,p3,impression,2025-11-17

        """

    /// A store holding ingest's outputs of the day (the logs as zstd frames).
    static func store() async throws -> InMemoryObjectStore {
        let store = InMemoryObjectStore()
        let keys = Self.keys
        try await store.putObject(bucket: bucket, key: keys.ingestAdvertisers, bytes: Array(advertisers.utf8), contentType: "text/csv")
        for (key, text) in [(keys.ingestProductViews, productViews), (keys.ingestAdsViews, adsViews)] {
            try await store.putObject(
                bucket: bucket, key: key, bytes: try ZstdEncoder.compress(Array(text.utf8)), contentType: RunKeys.zstdContentType)
        }
        return store
    }

    /// The hand-over message of the run, as the previous stage writes it; `date` replaces its day on the wire.
    static func handover(date: String = "2025-11-17") -> String {
        let keys = Self.keys
        let message = IngestCompleted(
            runID: runID, date: day, productViewsKey: keys.ingestProductViews, adsViewsKey: keys.ingestAdsViews,
            advertisersKey: keys.ingestAdvertisers, manifestKey: keys.ingestManifest, productViewRows: 6, adsViewRows: 6)
        return String(decoding: WireCodec.encode(message), as: UTF8.self)
            .replacingOccurrences(of: "\"\(day)\"", with: "\"\(date)\"")
    }

    static func work(_ store: InMemoryObjectStore, handover: String? = handover()) async throws -> InMemoryLedger.State {
        try await InMemoryLedger().work(
            ModelsStage(store: store, bucket: bucket, metrics: StageMetrics(stage: "models")),
            RunClaim(runID: runID, date: day, stage: .models, handover: handover))
    }

    @Test func writesTopProductAndTopCTRFromTheDaysFilteredLogs() async throws {
        let store = try await Self.store()
        let ledger = try await Self.work(store)
        let completed = try #require(ledger.completed.first)
        #expect(ledger.failed.isEmpty && ledger.released.isEmpty)

        let keys = Self.keys
        let csv = try #require(store.object(bucket: Self.bucket, key: keys.modelsRecommendations)).bytes
        let expected = try #require(DailyModelRun.compute(
            selection: .single(Self.day), advertiserIds: [Array(Self.advertisers.utf8)],
            productViews: [Array(Self.productViews.utf8)], adsViews: [Array(Self.adsViews.utf8)]
        ).first).recommendations
        #expect(String(decoding: csv, as: UTF8.self) == RecommendationCSV.document(expected))

        let a1 = expected.filter { $0.advertiserId == "A1" }
        #expect(a1.filter { $0.model == .topProduct }.sorted { $0.rank < $1.rank }.map(\.productId) == ["p1", "p2"])
        #expect(a1.filter { $0.model == .topCTR }.sorted { $0.rank < $1.rank }.map(\.productId) == ["p2", "p1"])
        #expect(store.text(bucket: Self.bucket, key: keys.modelsAdvertisers) == RecommendationCSV.advertisersDocument(["A1", "A2"]))

        #expect(completed.s3Keys == [
            "recommendations": keys.modelsRecommendations, "advertisers": keys.modelsAdvertisers, "manifest": keys.modelsManifest,
        ])
        #expect(store.object(bucket: Self.bucket, key: keys.modelsManifest) != nil)
        #expect(completed.counts["recommendation_rows"] == expected.count)
        #expect(completed.counts["advertisers"] == 2)
        #expect(completed.counts["product_views_rows"] == 6)
        #expect(completed.next == .writer)
        let message = try WireCodec.decode(ModelsCompleted.self, from: Array(try #require(completed.handover).utf8))
        #expect(message.recommendationsKey == keys.modelsRecommendations && message.recommendationRows == expected.count)
    }

    @Test func aHandOverWithAnInvalidDateFailsTheRun() async throws {
        let ledger = try await Self.work(try await Self.store(), handover: Self.handover(date: "2025-13-40"))
        #expect(ledger.failed.count == 1)
        #expect(ledger.failed.first?.error.contains("2025-13-40") == true)
        #expect(ledger.completed.isEmpty && ledger.released.isEmpty)
    }

    @Test func aMissingInputFailsTheRunWithNoSuchKey() async throws {
        let store = InMemoryObjectStore()
        let ledger = try await Self.work(store)
        #expect(ledger.failed.first?.error.hasPrefix("NoSuchKey") == true, "\(ledger.failed)")
        #expect(ledger.completed.isEmpty && ledger.released.isEmpty)
        #expect(store.keys(bucket: Self.bucket).isEmpty, "outputs written without inputs")
    }

    @Test func aHandOverThatIsNoMessageFailsTheRun() async throws {
        let ledger = try await Self.work(try await Self.store(), handover: "{}")
        #expect(ledger.failed.first?.error.hasPrefix("unreadable IngestCompleted message") == true, "\(ledger.failed)")
    }
}
