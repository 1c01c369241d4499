/// A validated calendar date (proleptic Gregorian, years 0001...9999), written `YYYY-MM-DD`.
public struct Day: Hashable, Comparable, Sendable {
    /// `year * 10_000 + month * 100 + day`, so that integer order is date order.
    public let ordinal: Int32

    /// Creates a day from its parts; `nil` when they do not form a calendar date.
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1,
              day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        self.ordinal = Int32(year * 10_000 + month * 100 + day)
    }

    /// Parses exactly ten bytes `YYYY-MM-DD` of ASCII digits forming a calendar date.
    /// Anything else (other lengths, spaces, signs, 2023-02-29) gives `nil`.
    @inline(__always)
    public init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        @inline(__always) func digit(_ index: Int) -> Int? {
            let value = bytes[index] &- UInt8(ascii: "0")
            return value < 10 ? Int(value) : nil
        }
        guard let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3),
              let m0 = digit(5), let m1 = digit(6), let d0 = digit(8), let d1 = digit(9)
        else { return nil }
        self.init(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }

    /// Parses a `YYYY-MM-DD` string with the same rules as ``init(bytes:)``.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard let day = utf8.withUnsafeBytes({ Day(bytes: $0) }) else { return nil }
        self = day
    }

    /// Parses a date given at an edge (a CLI option, a request body or path), throwing the one
    /// error that names the text: ``DomainError/invalidDate(_:)``.
    public init(validating text: String) throws(DomainError) {
        guard let day = Day(text) else { throw .invalidDate(text) }
        self = day
    }

    public var year: Int { Int(ordinal) / 10_000 }
    public var month: Int { (Int(ordinal) / 100) % 100 }
    public var day: Int { Int(ordinal) % 100 }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// Whether `year` is a Gregorian leap year.
    /// Days since 1970-01-01 (negative before), for day arithmetic ("the last 7 days").
    public var daysSince1970: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` (1...12) of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
