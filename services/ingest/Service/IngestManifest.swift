public import AdrecsDomain

/// `runs/<D>/<R>/ingest/manifest.json`: the run's statistics and every key it read or wrote.
public struct IngestManifest: Codable, Sendable, Equatable {
    public var runID: String
    public var date: Day
    /// Raw input keys read, by input name.
    public var rawKeys: [String: String]
    /// Keys written (`advertisers`, `product_views`, `ads_views`, `quarantine_<input>`).
    public var keys: [String: String]
    /// What parsing and filtering counted (the models fill anomalies and short lists later).
    public var statistics: RunStatistics

    public init(runID: String, date: Day, rawKeys: [String: String], keys: [String: String], statistics: RunStatistics) {
        self.runID = runID
        self.date = date
        self.rawKeys = rawKeys
        self.keys = keys
        self.statistics = statistics
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case date
        case rawKeys = "raw_keys"
        case keys
        case statistics
    }
}
