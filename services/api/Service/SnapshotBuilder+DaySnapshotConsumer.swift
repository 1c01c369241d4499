public import AdrecsDatabase
import AdrecsDomain

extension SnapshotBuilder: DaySnapshotConsumer {
    public mutating func begin(_ days: [DaySnapshot]) throws {
        try begin(days.map { (stamp: try DayStamp($0.day), activeAdvertisers: $0.advertisers) })
    }
}
