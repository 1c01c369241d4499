import AdrecsDomain
import AdrecsRuntime
import AdrecsStorage
import Testing

@Suite struct RawInputLayoutTests {
    private let day = Day("2025-03-07")!

    @Test func courseLayoutIgnoresTheDate() {
        let layout = RawInputLayout()
        #expect(layout.candidates(.productViews, for: day) == ["raw/product_views", "raw/product_views.csv"])
        #expect(layout.keys(for: day)[.advertiserIds] == ["raw/advertiser_ids", "raw/advertiser_ids.csv"])
        #expect(layout.keys(for: day).count == 3)
    }

    @Test func dailyLayoutHasAFolderPerDay() {
        let layout = RawInputLayout(style: .daily, prefix: "in")
        #expect(layout.prefix == "in/")
        #expect(layout.candidates(.adsViews, for: day) == ["in/2025-03-07/ads_views", "in/2025-03-07/ads_views.csv"])
    }

    @Test func readsTheConfiguration() throws {
        #expect(try RawInputLayout(config: reader([:])) == RawInputLayout(style: .course, prefix: "raw/"))
        #expect(try RawInputLayout(config: reader(["ingest.raw.layout": "daily", "ingest.raw.prefix": "x/y/"]))
            == RawInputLayout(style: .daily, prefix: "x/y/"))
        #expect(throws: ConfigError.self) { try RawInputLayout(config: reader(["ingest.raw.layout": "hourly"])) }
    }

    @Test func aMissingInputNamesItsKeys() {
        let error = StorageError.rawInputNotFound(input: .adsViews, candidates: ["raw/ads_views", "raw/ads_views.csv"])
        #expect(error.description == "raw input not found: raw/ads_views or raw/ads_views.csv")
    }
}
