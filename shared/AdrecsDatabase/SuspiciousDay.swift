/// A day the writer refuses to commit unless its run was kicked with `force`: it has no
/// recommendations at all, or fewer than `minFraction` × the median row count of the latest
/// committed days (a wrong date or a missing input, which would otherwise replace what is served).
///
/// Its description, the ledger's error text, starts with `suspicious_day:` and names both counts.
public struct SuspiciousDay: Error, Sendable, Equatable, CustomStringConvertible {
    /// How many of the latest committed days the median is taken over.
    public static let recentDays = 7
    /// The default of `WRITER_MIN_ROWS_FRACTION`.
    public static let defaultMinFraction = 0.5

    /// `YYYY-MM-DD`.
    public var date: String
    /// The day's recommendation rows.
    public var rows: Int
    /// The median recommendation rows of the latest committed days; `nil` when none is committed.
    public var median: Double?
    /// How many committed days the median is over.
    public var days: Int
    public var minFraction: Double

    public init(date: String, rows: Int, median: Double?, days: Int, minFraction: Double) {
        self.date = date
        self.rows = rows
        self.median = median
        self.days = days
        self.minFraction = minFraction
    }

    /// The rule: `nil` when a day of `rows` recommendation rows may be committed after days of
    /// `recentRows` (the latest committed days, the day itself excluded); otherwise why not.
    /// A day with no rows is always suspicious; with no committed day, that is the only check.
    public static func check(date: String, rows: Int, recentRows: [Int], minFraction: Double) -> SuspiciousDay? {
        let median = median(recentRows)
        let belowMedian = median.map { Double(rows) < minFraction * $0 } ?? false
        guard rows == 0 || belowMedian else { return nil }
        return SuspiciousDay(date: date, rows: rows, median: median, days: recentRows.count, minFraction: minFraction)
    }

    /// The median of `values` (the mean of the two middle ones for an even count); `nil` when empty.
    public static func median(_ values: [Int]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (Double(sorted[middle - 1]) + Double(sorted[middle])) / 2 : Double(sorted[middle])
    }

    public var description: String {
        let found = "\(date) has \(rows) recommendation rows"
        let why = if let median {
            "\(rows == 0 ? "no recommendations at all" : "fewer than \(Self.text(minFraction)) × \(Self.text(median))"); "
                + "the median of the last \(days) committed days is \(Self.text(median)) rows"
        } else {
            "no recommendations at all; no day is committed yet"
        }
        return "suspicious_day: \(found): \(why). Nothing was written; kick the date with force to commit it anyway"
    }

    /// `2` for 2.0, `0.5` for 0.5.
    private static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
