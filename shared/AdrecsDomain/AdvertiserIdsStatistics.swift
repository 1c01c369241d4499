/// What parsing `advertiser_ids` found.
public struct AdvertiserIdsStatistics: Codable, Sendable, Equatable {
    /// Lines after the header.
    public var linesRead: Int = 0
    /// Distinct active advertisers.
    public var active: Int = 0
    /// Repeated ids, collapsed into one.
    public var duplicates: Int = 0
    /// Quarantined lines: `blank_line`, `field_count` (a line containing `,`), `id_too_long`, `invalid_utf8`.
    public var malformed: [MalformedReason: Int] = [:]

    public init() {}

    /// All malformed lines.
    public var malformedTotal: Int { malformed.values.reduce(0, +) }
}
