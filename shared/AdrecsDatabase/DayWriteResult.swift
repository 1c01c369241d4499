/// What ``DayWriter/replaceDay(date:runID:recommendationsCSV:advertisersCSV:)`` loaded.
public struct DayWriteResult: Sendable, Equatable {
    public var recommendationRows: Int
    public var advertisers: Int

    public init(recommendationRows: Int, advertisers: Int) {
        self.recommendationRows = recommendationRows
        self.advertisers = advertisers
    }
}
