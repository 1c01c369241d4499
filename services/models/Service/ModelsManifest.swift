public import AdrecsDomain

/// `runs/D/R/models/manifest.json`: what a models run read, what it wrote, and the day's statistics.
public struct ModelsManifest: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var runID: String
    public var date: String
    /// Input keys: `advertisers`, `product_views`, `ads_views`.
    public var inputs: [String: String]
    /// Output keys: `recommendations`, `advertisers`.
    public var outputs: [String: String]
    public var recommendationRows: Int
    public var advertisers: Int
    public var bytesRead: Int
    /// The date's statistics; absent when neither log had a row of the date.
    public var statistics: RunStatistics?

    public init(
        runID: String, date: String, inputs: [String: String], outputs: [String: String],
        recommendationRows: Int, advertisers: Int, bytesRead: Int, statistics: RunStatistics?
    ) {
        self.version = Self.currentVersion
        self.runID = runID
        self.date = date
        self.inputs = inputs
        self.outputs = outputs
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
        self.bytesRead = bytesRead
        self.statistics = statistics
    }
}
