import AdrecsDatabase
import AdrecsDomain

extension DayStamp {
    /// The stamp of a `committed_days` row.
    init(_ day: CommittedDay) throws {
        guard let date = Day(day.date) else {
            throw APIError(status: .internalServerError, code: "bad_row", message: "committed_days.date \(day.date) is not a date")
        }
        self.init(date: date, runID: day.runID, committedAt: day.committedAt)
    }
}
