import AdrecsDomain

/// The per-advertiser figures of ``SnapshotStats``, gathered one advertiser at a time while a
/// snapshot is built (so no advertiser's rows need to be kept for the stats).
struct StatsTally {
    /// Advertisers with a non-empty list of either model on the latest date.
    var advertisersWithRecommendations = 0
    /// Per model: rows, and advertisers with a non-empty list, on the latest date.
    var rows = Array(repeating: 0, count: ModelKind.allCases.count)
    var advertisers = Array(repeating: 0, count: ModelKind.allCases.count)
    /// Per advertiser with both lists on the latest date: shared products / length of the longer list.
    var overlaps: [SnapshotStats.AdvertiserValue] = []
    /// Per model, per advertiser with a list on the latest and the previous held date: the share
    /// of the latest list not in the previous one.
    var changes = Array(repeating: [SnapshotStats.AdvertiserValue](), count: ModelKind.allCases.count)

    /// Adds one advertiser's lists (`lists[dayIndex][modelIndex]`, newest day first).
    mutating func add(_ advertiser: String, lists: [[[Recommendation]]]) {
        guard let latest = lists.first else { return }
        if latest.contains(where: { !$0.isEmpty }) { advertisersWithRecommendations += 1 }
        for model in ModelKind.allCases {
            rows[model.index] += latest[model.index].count
            if !latest[model.index].isEmpty { advertisers[model.index] += 1 }
        }
        let a = Set(latest[0].map { ExactID($0.productId) }), b = Set(latest[1].map { ExactID($0.productId) })
        if !a.isEmpty, !b.isEmpty {
            overlaps.append(.init(advertiserID: advertiser, value: Double(a.intersection(b).count) / Double(max(a.count, b.count))))
        }
        guard lists.count > 1 else { return }
        for model in ModelKind.allCases {
            let now = Set(latest[model.index].map { ExactID($0.productId) })
            let before = Set(lists[1][model.index].map { ExactID($0.productId) })
            guard !now.isEmpty, !before.isEmpty else { continue }
            changes[model.index].append(.init(advertiserID: advertiser, value: Double(now.subtracting(before).count) / Double(now.count)))
        }
    }
}
