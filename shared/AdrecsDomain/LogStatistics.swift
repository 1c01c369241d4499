/// What one log file contributed to one day's run.
public struct LogStatistics: Codable, Sendable, Equatable {
    /// Lines after the header (file-wide).
    public var linesRead: Int = 0
    /// Lines that parsed (file-wide).
    public var validRows: Int = 0
    /// Quarantined lines by reason (file-wide).
    public var malformed: [MalformedReason: Int] = [:]
    /// Valid rows dated the day.
    public var rowsOnDate: Int = 0
    /// Rows on the day of active advertisers: the model's input.
    public var rowsKept: Int = 0
    /// Rows on the day of inactive advertisers.
    public var rowsDroppedInactive: Int = 0

    public init() {}

    /// All malformed lines.
    public var malformedTotal: Int { malformed.values.reduce(0, +) }
}
