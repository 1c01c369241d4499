import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport

/// Keeps everything `DayReader.readSnapshot` hands over, checking that the days come first.
struct CollectingConsumer: DaySnapshotConsumer {
    var began = false
    var days: [DaySnapshot] = []
    var rows: [Recommendation] = []

    mutating func begin(_ days: [DaySnapshot]) throws {
        guard !began else { throw TestSetupError("begin was called twice") }
        began = true
        self.days = days
    }

    mutating func consume(_ row: Recommendation) throws {
        guard began else { throw TestSetupError("a row arrived before the days") }
        rows.append(row)
    }
}
