import AdrecsDomain

extension SnapshotBuilder {
    /// Begins with `days` and consumes all their rows in the streaming order (each row dated by
    /// its day's stamp): for sources that hold whole days in memory.
    mutating func add(_ input: [SnapshotDay]) {
        start(input.map { (stamp: $0.stamp, activeAdvertisers: $0.activeAdvertisers) })
        var rows: [Recommendation] = []
        rows.reserveCapacity(input.reduce(0) { $0 + $1.recommendations.count })
        for day in input {
            for var row in day.recommendations {
                row.day = day.stamp.date
                rows.append(row)
            }
        }
        rows.sort { lhs, rhs in
            if !lhs.advertiserId.utf8.elementsEqual(rhs.advertiserId.utf8) {
                return lhs.advertiserId.utf8.lexicographicallyPrecedes(rhs.advertiserId.utf8)
            }
            if lhs.day != rhs.day { return lhs.day > rhs.day }
            if lhs.model != rhs.model { return lhs.model < rhs.model }
            return lhs.rank < rhs.rank
        }
        for row in rows { append(row) }
    }
}
