public import AdrecsDatabase
import AdrecsDomain

/// Reads committed days from PostgreSQL through `DayReader` (tables `committed_days`,
/// `recommendations`, `active_advertisers`); `load` streams all days from one REPEATABLE READ
/// snapshot, so the rows of each day belong to its run id, and never holds more than one batch
/// of rows.
public struct DayReaderSnapshotSource: SnapshotSource {
    let reader: DayReader

    public init(reader: DayReader) {
        self.reader = reader
    }

    public func committedDays(limit: Int) async throws -> [DayStamp] {
        try await reader.committedDays(limit: limit).map(DayStamp.init)
    }

    public func load(limit: Int, into builder: inout SnapshotBuilder) async throws {
        try await reader.readSnapshot(limit: limit, into: &builder)
    }
}
