/// SQL fragments shared by the queries of this module.
enum SQLText {
    /// `expression` (a timestamptz) as ISO 8601 UTC with milliseconds, e.g. `2025-11-15T04:00:01.123Z`.
    static func iso(_ expression: String) -> String {
        #"to_char(\#(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#
    }

    /// `expression` (a date) as `YYYY-MM-DD`.
    static func day(_ expression: String) -> String {
        "to_char(\(expression), 'YYYY-MM-DD')"
    }

    /// A lock key for `pg_advisory_xact_lock(int, int)`: the day number of the date in parameter `$n`.
    static func dayNumber(parameter: Int) -> String {
        "($\(parameter)::date - DATE '1970-01-01')"
    }
}
