public import AdrecsDomain

/// The S3 keys of one run's intermediates: everything under `runs/<D>/<R>/`.
public struct RunKeys: Sendable, Hashable {
    public let date: Day
    public let runID: String

    public init(date: Day, runID: String) {
        self.date = date
        self.runID = runID
    }

    /// `runs/<D>/<R>/`.
    public var prefix: String { "runs/\(date)/\(runID)/" }

    /// Header `advertiser_id`, then the active ids.
    public var ingestAdvertisers: String { prefix + "ingest/advertiser_ids.csv" }
    /// Header and the kept `product_views` rows of the day, zstd-compressed (``zstdContentType``).
    public var ingestProductViews: String { prefix + "ingest/product_views.csv.zst" }
    /// Header and the kept `ads_views` rows of the day, zstd-compressed (``zstdContentType``).
    public var ingestAdsViews: String { prefix + "ingest/ads_views.csv.zst" }
    /// The run's statistics and keys, written last.
    public var ingestManifest: String { prefix + "ingest/manifest.json" }

    /// `line_number,reason,line` for each malformed line of `input`.
    public func ingestQuarantine(_ input: RawInput) -> String {
        prefix + "ingest/quarantine/\(input.name).csv"
    }

    /// The `Content-Type` of the `.csv.zst` objects: a CSV compressed as one zstd frame (RFC 8878).
    /// The two filtered logs are the bulk of a run's bytes; compressed they are about 5× smaller.
    public static let zstdContentType = "application/zstd"

    /// The filtered output of `input` (advertisers, product views or ads views).
    public func ingestOutput(_ input: RawInput) -> String {
        switch input {
        case .advertiserIds: ingestAdvertisers
        case .productViews: ingestProductViews
        case .adsViews: ingestAdsViews
        }
    }

    /// Header `date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr` (RecommendationCSV).
    public var modelsRecommendations: String { prefix + "models/recommendations.csv" }
    public var modelsAdvertisers: String { prefix + "models/advertisers.csv" }
    public var modelsManifest: String { prefix + "models/manifest.json" }
}
