import AdrecsDomain
import AdrecsStorage
import Testing

@Suite struct RunKeysTests {
    private let keys = RunKeys(date: Day("2025-11-15")!, runID: "2025-11-15T040001-3f9a0c1e")

    @Test func ingestKeysFollowTheLayout() {
        let base = "runs/2025-11-15/2025-11-15T040001-3f9a0c1e/"
        #expect(keys.prefix == base)
        #expect(keys.ingestAdvertisers == base + "ingest/advertiser_ids.csv")
        #expect(keys.ingestProductViews == base + "ingest/product_views.csv.zst")
        #expect(keys.ingestAdsViews == base + "ingest/ads_views.csv.zst")
        #expect(keys.ingestManifest == base + "ingest/manifest.json")
        #expect(keys.ingestQuarantine(.productViews) == base + "ingest/quarantine/product_views.csv")
        #expect(keys.ingestQuarantine(.advertiserIds) == base + "ingest/quarantine/advertiser_ids.csv")
        #expect(keys.ingestOutput(.adsViews) == keys.ingestAdsViews)
    }

    @Test func modelsKeysFollowTheLayout() {
        let base = "runs/2025-11-15/2025-11-15T040001-3f9a0c1e/models/"
        #expect(keys.modelsRecommendations == base + "recommendations.csv")
        #expect(keys.modelsAdvertisers == base + "advertisers.csv")
        #expect(keys.modelsManifest == base + "manifest.json")
    }

    @Test func everyKeyIsDistinct() {
        let all = [keys.ingestAdvertisers, keys.ingestProductViews, keys.ingestAdsViews, keys.ingestManifest,
                   keys.modelsRecommendations, keys.modelsAdvertisers, keys.modelsManifest]
            + RawInput.allCases.map(keys.ingestQuarantine)
        #expect(Set(all).count == all.count)
    }
}
