public import AdrecsDomain

/// Receives a consistent read of the newest committed days from
/// ``DayReader/readSnapshot(limit:batchSize:into:)``, one row at a time.
public protocol DaySnapshotConsumer {
    /// The days read, newest first, with their active advertisers; called once, before any row.
    mutating func begin(_ days: [DaySnapshot]) throws
    /// One recommendation of those days. Rows arrive ordered by advertiser id (bytewise), then
    /// date (newest first), model, rank: each advertiser's rows of every day are contiguous.
    mutating func consume(_ row: Recommendation) throws
}
