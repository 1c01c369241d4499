import AdrecsDatabase
import AdrecsDomain
import AdrecsPipeline
import AdrecsRuntime
import AdrecsStorage
import AdrecsWire
import Foundation
import IngestService
import S3Store
import StageTestSupport
import Testing
import Zstd

/// The ingest stage's logic in its runtime, on an in-memory ledger and object store: no server.
@Suite(.timeLimit(.minutes(1)))
struct IngestStageLogicTests {
    static let day = Day("2025-11-17")!
    static let bucket = "adrecs"
    static let runID = "2025-11-17T000000-0000unit"
    static var keys: RunKeys { RunKeys(date: day, runID: runID) }

    static let advertiserIds = "advertiser_id\nA1\nA2\nA1,extra\n"
    static let productViews = """
        advertiser_id,product_id,date
        A1,p1,2025-11-17
        A3,p2,2025-11-17
        A2,p3,2025-11-16
        A2,p4,2025-11-17
        A1,p5

        """
    static let adsViews = "advertiser_id,product_id,type,date\r\nA2,p1,click,2025-11-17\r\nA1,p2,view,2025-11-17\r\n"

    /// A store holding the day's raw inputs in the course layout (`advertiser_ids` with `.csv`).
    static func store(_ inputs: [RawInput: String]? = nil) async throws -> InMemoryObjectStore {
        let store = InMemoryObjectStore()
        let inputs = inputs ?? [.advertiserIds: advertiserIds, .productViews: productViews, .adsViews: adsViews]
        for (input, text) in inputs {
            let key = "raw/\(input.name)" + (input == .advertiserIds ? ".csv" : "")
            try await store.putObject(bucket: bucket, key: key, bytes: Array(text.utf8), contentType: "text/csv")
        }
        return store
    }

    static func work(_ store: InMemoryObjectStore) async throws -> InMemoryLedger.State {
        let job = IngestJob(store: store, bucket: bucket, layout: RawInputLayout())
        return try await InMemoryLedger().work(
            IngestStage(job: job, metrics: StageMetrics(stage: "ingest")), RunClaim(runID: runID, date: day, stage: .ingest))
    }

    static func decompressed(_ store: InMemoryObjectStore, _ key: String) throws -> String {
        let object = try #require(store.object(bucket: bucket, key: key))
        return String(decoding: try ZstdDecoder.decompress(object.bytes), as: UTF8.self)
    }

    @Test func keepsTheDaysRowsOfActiveAdvertisersAndQuarantinesMalformedLines() async throws {
        let store = try await Self.store()
        let ledger = try await Self.work(store)
        let completed = try #require(ledger.completed.first)
        #expect(ledger.failed.isEmpty && ledger.released.isEmpty)

        let keys = Self.keys
        #expect(try Self.decompressed(store, keys.ingestProductViews) == "advertiser_id,product_id,date\nA1,p1,2025-11-17\nA2,p4,2025-11-17\n")
        #expect(try Self.decompressed(store, keys.ingestAdsViews) == "advertiser_id,product_id,type,date\nA2,p1,click,2025-11-17\n")
        #expect(store.object(bucket: Self.bucket, key: keys.ingestAdsViews)?.contentType == RunKeys.zstdContentType)
        #expect(store.text(bucket: Self.bucket, key: keys.ingestAdvertisers) == "advertiser_id\nA1\nA2\n")
        #expect(store.text(bucket: Self.bucket, key: keys.ingestQuarantine(.advertiserIds)) == "line_number,reason,line\n4,field_count,A1,extra\n")
        #expect(store.text(bucket: Self.bucket, key: keys.ingestQuarantine(.productViews)) == "line_number,reason,line\n6,field_count,A1,p5\n")
        #expect(store.text(bucket: Self.bucket, key: keys.ingestQuarantine(.adsViews))
            == "line_number,reason,line\n3,bad_type,A1,p2,view,2025-11-17\n")

        // Every output under the run's prefix, beside the raw inputs, and nothing else.
        let outputs = [
            keys.ingestAdvertisers, keys.ingestProductViews, keys.ingestAdsViews, keys.ingestManifest,
        ] + RawInput.allCases.map { keys.ingestQuarantine($0) }
        #expect(store.keys(bucket: Self.bucket) == (outputs + ["raw/advertiser_ids.csv", "raw/product_views", "raw/ads_views"]).sorted())
        #expect(Set(completed.s3Keys.values) == Set(outputs))
        #expect(completed.s3Keys["manifest"] == keys.ingestManifest)

        let manifest = try JSONDecoder().decode(
            IngestManifest.self, from: Data(try #require(store.object(bucket: Self.bucket, key: keys.ingestManifest)).bytes))
        #expect(manifest.rawKeys["advertiser_ids"] == "raw/advertiser_ids.csv")
        #expect(manifest.statistics.productViews.rowsDroppedInactive == 1)
        #expect(manifest.statistics.productViews.rowsOnDate == 3)

        #expect(completed.counts["advertisers_active"] == 2)
        #expect(completed.counts["product_views_kept"] == 2)
        #expect(completed.counts["product_views_quarantined"] == 1)
        #expect(completed.counts["ads_views_kept"] == 1)
        #expect(completed.counts["ads_views_quarantined"] == 1)
        #expect(completed.counts["advertiser_ids_quarantined"] == 1)

        #expect(completed.next == .models)
        let message = try WireCodec.decode(IngestCompleted.self, from: Array(try #require(completed.handover).utf8))
        #expect(message.runID == Self.runID && message.productViewsKey == keys.ingestProductViews)
        #expect(message.productViewRows == 2 && message.adsViewRows == 1)
    }

    @Test func aMissingRawInputFailsTheRunNamingItsKeys() async throws {
        let store = try await Self.store([.advertiserIds: Self.advertiserIds])
        let ledger = try await Self.work(store)
        #expect(ledger.failed.map(\.error) == ["raw input not found: raw/product_views or raw/product_views.csv"])
        #expect(ledger.completed.isEmpty && ledger.released.isEmpty)
    }

    @Test func aRefusingStoreFailsTheRunWithItsCode() async throws {
        let store = try await Self.store()
        store.failEveryRequest(with: S3Error(kind: .service, operation: .headObject, httpStatus: 403, code: "AccessDenied", message: "denied"))
        let ledger = try await Self.work(store)
        #expect(ledger.failed.map(\.error) == ["AccessDenied: denied"])
        #expect(ledger.completed.isEmpty && ledger.released.isEmpty)
    }

    @Test func anUnreachableStoreGivesTheRunBackForAnotherAttempt() async throws {
        let store = try await Self.store()
        store.failEveryRequest(with: S3Error(kind: .transport, operation: .headObject, message: "connection refused", attempts: 5))
        let ledger = try await Self.work(store)
        #expect(ledger.failed.isEmpty && ledger.completed.isEmpty)
        let released = try #require(ledger.released.first)
        #expect(released.runID == Self.runID)
        #expect(released.cause.hasPrefix("S3Unreachable"))
    }
}
