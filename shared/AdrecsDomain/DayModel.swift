/// A per-day accumulator fed with the kept rows of one log, in batches.
///
/// A batch first reads the table slot of every row, so that the cache misses overlap, then
/// applies the updates.
protocol DayModel: Sendable {
    static var kind: LogKind { get }
    init(advertiserCount: Int)
    /// The key of a product id taken from a valid log line (interning long ids).
    mutating func key(forIdInLine product: UnsafeRawBufferPointer) -> UInt64
    /// Makes every table writable without further copy-on-write checks.
    mutating func prepareForBatches()
    /// Adds rows; ``prepareForBatches()`` must have run since the model was last copied.
    mutating func add(batch: UnsafeBufferPointer<PendingRow>)
}
