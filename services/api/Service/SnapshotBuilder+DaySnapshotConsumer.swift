public import AdrecsDatabase
import AdrecsDomain

extension SnapshotBuilder: DaySnapshotConsumer {
    public mutating func begin(_ days: [DaySnapshot]) throws {
        try begin(days.map { (try DayStamp($0.day), $0.advertisers) })
    }
}
