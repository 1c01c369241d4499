public import AdrecsDomain
public import Foundation

extension Day {
    /// Today in UTC (by this machine's clock) moved by `offset` days: the ledger refuses a kick
    /// for a date later than `utcToday(offset: 1)`.
    public static func utcToday(offset: Int = 0, now: Date = Date()) throws -> Day {
        try day(of: now, movedBy: offset)
    }

    /// This day moved by `days` (negative: earlier).
    public func advanced(by days: Int) throws -> Day {
        var parts = DateComponents()
        (parts.year, parts.month, parts.day, parts.hour) = (year, month, day, 12)
        guard let noon = Self.utc.date(from: parts) else { throw TestSetupError("no date for \(self)") }
        return try Self.day(of: noon, movedBy: days)
    }

    private static var utc: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }

    private static func day(of date: Date, movedBy offset: Int) throws -> Day {
        guard let moved = utc.date(byAdding: .day, value: offset, to: date) else {
            throw TestSetupError("cannot move \(date) by \(offset) days")
        }
        let parts = utc.dateComponents([.year, .month, .day], from: moved)
        guard let year = parts.year, let month = parts.month, let day = parts.day,
              let result = Day(year: year, month: month, day: day) else {
            throw TestSetupError("no calendar date for \(moved)")
        }
        return result
    }
}
