/// TopCTR(D): the products with the best click-through rate per advertiser.
///
/// Candidates have impressions > 0; ctr = clicks / impressions as `Double`. Order: ctr, clicks,
/// impressions descending, then product id ascending (bytewise).
public struct TopCTRModel: DayModel {
    public static let kind = LogKind.adsViews
    private var tables: [ProductTable<ImpressionsClicks>]
    private var keys = ProductKeys()
    /// Keeps the prefetching reads of ``add(batch:)`` observable, so they are not optimised away.
    private var prefetchSink: UInt64 = 0

    /// - Parameter advertiserCount: the size of the ``ActiveAdvertisers`` set whose indices `add` gets.
    public init(advertiserCount: Int) {
        tables = Array(repeating: ProductTable(zero: ImpressionsClicks(impressions: 0, clicks: 0)), count: advertiserCount)
    }

    /// Counts one impression or click of `product` for the advertiser at `advertiser`.
    @inline(__always)
    public mutating func add(advertiser: Int, product: UnsafeRawBufferPointer, type: AdType) {
        let key = keys.key(for: product)
        if type == .impression {
            tables[advertiser].update(key) { $0.impressions &+= 1 }
        } else {
            tables[advertiser].update(key) { $0.clicks &+= 1 }
        }
    }

    @inline(__always)
    public mutating func key(forIdInLine product: UnsafeRawBufferPointer) -> UInt64 {
        keys.key(forIdInLine: product)
    }

    public mutating func prepareForBatches() {
        for index in tables.indices { tables[index].makeUnique() }
    }

    @inline(__always)
    public mutating func add(batch: UnsafeBufferPointer<PendingRow>) {
        prefetchSink &+= tables.withUnsafeMutableBufferPointer { tables in
            var sink: UInt64 = 0
            for row in batch { sink &+= tables[Int(row.advertiser)].touch(row.key) }
            for row in batch {
                if row.isClick {
                    tables[Int(row.advertiser)].updateUnique(row.key) { $0.clicks &+= 1 }
                } else {
                    tables[Int(row.advertiser)].updateUnique(row.key) { $0.impressions &+= 1 }
                }
            }
            return sink
        }
    }

    /// Clicked-without-impression and ctr > 1 counts over all advertisers.
    public func anomalies() -> AnomalyStatistics {
        var result = AnomalyStatistics()
        for table in tables {
            table.forEach { _, counts in
                if counts.impressions == 0 {
                    result.clickedWithoutImpressionProducts += 1
                    result.clickedWithoutImpressionClicks += Int(counts.clicks)
                } else if counts.clicks > counts.impressions {
                    result.ctrAboveOneProducts += 1
                }
            }
        }
        return result
    }

    /// The first `limit` candidates of each advertiser, ranked 1...n; indexed like ``ActiveAdvertisers``.
    public func rankings(day: Day, advertisers: ActiveAdvertisers, limit: Int = 20) -> [[Recommendation]] {
        typealias Entry = (ctr: Double, clicks: UInt32, impressions: UInt32, key: UInt64)
        let keys = self.keys
        return tables.indices.map { advertiser in
            var top = TopK<Entry>(limit: limit)
            tables[advertiser].forEach { key, counts in
                guard counts.impressions > 0 else { return }
                let entry = (Double(counts.clicks) / Double(counts.impressions), counts.clicks, counts.impressions, key)
                top.offer(entry) { lhs, rhs in
                    if lhs.ctr != rhs.ctr { return lhs.ctr > rhs.ctr }
                    if lhs.clicks != rhs.clicks { return lhs.clicks > rhs.clicks }
                    if lhs.impressions != rhs.impressions { return lhs.impressions > rhs.impressions }
                    return keys.isLess(lhs.key, rhs.key)
                }
            }
            return top.elements.enumerated().map { offset, entry in
                Recommendation(
                    day: day, advertiserId: advertisers.ids[advertiser], model: .topCTR, rank: offset + 1,
                    productId: keys.string(of: entry.key), impressions: Int(entry.impressions),
                    clicks: Int(entry.clicks), ctr: entry.ctr
                )
            }
        }
    }
}

/// The ads counts of one product for one advertiser and day.
struct ImpressionsClicks: Sendable, BitwiseCopyable {
    var impressions: UInt32
    var clicks: UInt32
}
