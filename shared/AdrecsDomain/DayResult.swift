/// The output of one day: both models' rows in CSV order, and the day's statistics.
public struct DayResult: Sendable, Equatable {
    public var day: Day
    public var recommendations: [Recommendation]
    public var statistics: RunStatistics

    public init(day: Day, recommendations: [Recommendation], statistics: RunStatistics) {
        self.day = day
        self.recommendations = recommendations
        self.statistics = statistics
    }
}
