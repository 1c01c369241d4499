import AdrecsDomain
import AdrecsStorage
import AdrecsTestSupport
import Foundation
import IngestService
import Testing

/// The ingest job against the real S3 server, on course-2025 data.
@Suite(.offThePool, .timeLimit(.minutes(3)))
struct IngestJobTests {
    static let day = Day("2025-11-17")!

    @Test func filtersOneCourseDayExactlyLikeTheDomain() async throws {
        let advertiserIds = try CourseData.bytes("course-2025", "advertiser_ids")
        let productViews = try CourseData.bytes("course-2025", "product_views")
        let adsViews = try CourseData.bytes("course-2025", "ads_views")
        try await IngestFixture.with("job") { fixture in
            // advertiser_ids only with `.csv`: the HEAD fallback finds it.
            try await fixture.uploadRaw(
                [.advertiserIds: advertiserIds, .productViews: productViews, .adsViews: adsViews],
                withExtension: [.advertiserIds])
            let result = try await fixture.job.run(runID: "2025-11-17T000000-0000test", date: Self.day)

            let domain = try #require(DailyModelRun.compute(
                selection: .single(Self.day), advertiserIds: [advertiserIds], productViews: [productViews], adsViews: [adsViews]
            ).first).statistics
            #expect(result.statistics.productViews == domain.productViews)
            #expect(result.statistics.adsViews == domain.adsViews)
            #expect(result.statistics.advertiserIds == domain.advertiserIds)
            #expect(result.statistics.productViews.rowsKept > 1000)

            let expected = Expected(advertiserIds: advertiserIds, productViews: productViews, adsViews: adsViews, day: Self.day)
            let keys = result.keys
            let filteredProducts = try await fixture.decompressedText(keys.ingestProductViews)
            #expect(filteredProducts == expected.filtered(.productViews))
            #expect(CourseData.lines(Array(filteredProducts.utf8)).count == 1 + domain.productViews.rowsKept)
            let filteredAds = try await fixture.decompressedText(keys.ingestAdsViews)
            #expect(filteredAds == expected.filtered(.adsViews))
            #expect(CourseData.lines(Array(filteredAds.utf8)).count == 1 + domain.adsViews.rowsKept)
            #expect(filteredAds.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix(",2025-11-17") })
            // The filtered logs are stored as zstd frames, several times smaller than their CSV.
            let stored = try #require(try await fixture.client.headObject(bucket: fixture.bucket, key: keys.ingestAdsViews))
            #expect(stored.contentType == RunKeys.zstdContentType)
            #expect(stored.size * 3 < filteredAds.utf8.count)
            #expect(try await fixture.text(keys.ingestAdvertisers) == (["advertiser_id"] + expected.active).map { $0 + "\n" }.joined())
            #expect(try await fixture.text(keys.ingestQuarantine(.productViews)) == "line_number,reason,line\n")

            let manifest = try JSONDecoder().decode(
                IngestManifest.self, from: Data(try await fixture.client.getObject(bucket: fixture.bucket, key: keys.ingestManifest)))
            #expect(manifest == result.manifest)
            #expect(manifest.rawKeys["advertiser_ids"] == "raw/advertiser_ids.csv")
            #expect(manifest.rawKeys["product_views"] == "raw/product_views")
            #expect(manifest.keys["ads_views"] == keys.ingestAdsViews)
            #expect(result.message.productViewRows == domain.productViews.rowsKept)
            #expect(result.message.adsViewsKey == keys.ingestAdsViews)
        }
    }

    @Test func aMissingRawInputNamesItsKeys() async throws {
        try await IngestFixture.with("missing") { fixture in
            try await fixture.uploadRaw([.advertiserIds: Array("advertiser_id\nA1\n".utf8)])
            let error = await #expect(throws: (any Error).self) {
                _ = try await fixture.job.run(runID: "2025-11-17T000000-0000miss", date: Self.day)
            }
            #expect(error.map { IngestError.from($0).description } == "raw input not found: raw/product_views or raw/product_views.csv")
        }
    }

    @Test func theDailyLayoutReadsTheDayFolder() async throws {
        try await IngestFixture.with("daily") { fixture in
            let folder = "raw/2025-11-17/"
            try await fixture.client.putObject(bucket: fixture.bucket, key: folder + "advertiser_ids", bytes: Array("advertiser_id\nA1\nA2\n".utf8))
            try await fixture.client.putObject(
                bucket: fixture.bucket, key: folder + "product_views.csv",
                bytes: Array("advertiser_id,product_id,date\nA1,p1,2025-11-17\nA3,p2,2025-11-17\r\nA2,p3,2025-11-16\nA2,p4,2025-11-17".utf8))
            try await fixture.client.putObject(
                bucket: fixture.bucket, key: folder + "ads_views",
                bytes: Array("advertiser_id,product_id,type,date\r\nA2,p1,click,2025-11-17\r\n".utf8))
            let job = IngestJob(store: fixture.client, bucket: fixture.bucket, layout: RawInputLayout(style: .daily))
            let result = try await job.run(runID: "2025-11-17T000000-00daily0", date: Self.day)
            #expect(try await fixture.decompressedText(result.keys.ingestProductViews)
                == "advertiser_id,product_id,date\nA1,p1,2025-11-17\nA2,p4,2025-11-17\n")
            #expect(try await fixture.decompressedText(result.keys.ingestAdsViews) == "advertiser_id,product_id,type,date\nA2,p1,click,2025-11-17\n")
            #expect(result.statistics.productViews.rowsDroppedInactive == 1)
            #expect(result.statistics.productViews.rowsOnDate == 3)
            #expect(result.counts["product_views_kept"] == 2)
        }
    }
}
