/// A day whose results are in the database, and the run that wrote them.
///
/// JSON keys are snake_case (`run_id`, `committed_at`, …).
public struct CommittedDay: Sendable, Equatable, Codable {
    /// `YYYY-MM-DD`.
    public var date: String
    public var runID: String
    /// ISO 8601 UTC.
    public var committedAt: String
    public var recommendationRows: Int
    public var advertisers: Int

    public init(date: String, runID: String, committedAt: String, recommendationRows: Int, advertisers: Int) {
        self.date = date
        self.runID = runID
        self.committedAt = committedAt
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
    }

    enum CodingKeys: String, CodingKey {
        case date
        case runID = "run_id"
        case committedAt = "committed_at"
        case recommendationRows = "recommendation_rows"
        case advertisers
    }
}
