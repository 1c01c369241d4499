/// Filter(D): keeps the valid rows whose date is D and whose advertiser is active.
public struct DayFilter: Sendable {
    public let day: Day
    public let active: ActiveAdvertisers

    public init(day: Day, active: ActiveAdvertisers) {
        self.day = day
        self.active = active
    }

    @inline(__always)
    public func decide(_ record: LogRecord) -> FilterDecision {
        guard record.date == day else { return .otherDate }
        guard let index = active.index(of: record.advertiserId) else { return .droppedInactive }
        return .kept(advertiserIndex: index)
    }
}

/// What ``DayFilter`` does with a valid row.
public enum FilterDecision: Sendable, Hashable {
    /// On the date and active: kept, with the advertiser's index in ``ActiveAdvertisers``.
    case kept(advertiserIndex: Int)
    /// On the date, but the advertiser is not active.
    case droppedInactive
    /// Another date.
    case otherDate
}
