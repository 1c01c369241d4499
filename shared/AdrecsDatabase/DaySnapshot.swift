/// One committed day of a snapshot read with its active advertisers; its recommendations are
/// streamed separately (see ``DayReader/readSnapshot(limit:batchSize:into:)``).
public struct DaySnapshot: Sendable, Equatable {
    public var day: CommittedDay
    /// Bytewise order.
    public var advertisers: [String]

    public init(day: CommittedDay, advertisers: [String]) {
        self.day = day
        self.advertisers = advertisers
    }
}
