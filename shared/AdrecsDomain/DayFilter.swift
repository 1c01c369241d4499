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
