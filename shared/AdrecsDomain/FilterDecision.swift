/// What ``DayFilter`` does with a valid row.
public enum FilterDecision: Sendable, Hashable {
    /// On the date and active: kept, with the advertiser's index in ``ActiveAdvertisers``.
    case kept(advertiserIndex: Int)
    /// On the date, but the advertiser is not active.
    case droppedInactive
    /// Another date.
    case otherDate
}
