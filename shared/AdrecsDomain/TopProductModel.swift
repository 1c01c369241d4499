/// TopProduct(D): the most viewed products per advertiser.
///
/// Views are counted per (advertiser index, product key); memory grows with distinct pairs.
/// Order: views descending, then product id ascending (bytewise).
public struct TopProductModel: DayModel {
    public static let kind = LogKind.productViews
    private var tables: [ProductTable<UInt32>]
    private var keys = ProductKeys()
    /// Keeps the prefetching reads of ``add(batch:)`` observable, so they are not optimised away.
    private var prefetchSink: UInt64 = 0

    /// - Parameter advertiserCount: the size of the ``ActiveAdvertisers`` set whose indices `add` gets.
    public init(advertiserCount: Int) {
        tables = Array(repeating: ProductTable(zero: 0), count: advertiserCount)
    }

    /// Counts one view of `product` for the advertiser at `advertiser`.
    @inline(__always)
    public mutating func add(advertiser: Int, product: UnsafeRawBufferPointer) {
        let key = keys.key(for: product)
        tables[advertiser].update(key) { $0 &+= 1 }
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
            for row in batch { tables[Int(row.advertiser)].updateUnique(row.key) { $0 &+= 1 } }
            return sink
        }
    }

    /// The number of distinct products viewed for the advertiser at `advertiser`.
    public func productCount(advertiser: Int) -> Int { tables[advertiser].count }

    /// The first `limit` products of each advertiser, ranked 1...n; indexed like ``ActiveAdvertisers``.
    public func rankings(day: Day, advertisers: ActiveAdvertisers, limit: Int = 20) -> [[Recommendation]] {
        tables.indices.map { advertiser in
            var top = TopK<(views: UInt32, key: UInt64)>(limit: limit)
            let keys = self.keys
            tables[advertiser].forEach { key, views in
                top.offer((views, key)) { lhs, rhs in
                    lhs.views != rhs.views ? lhs.views > rhs.views : keys.isLess(lhs.key, rhs.key)
                }
            }
            return top.elements.enumerated().map { offset, entry in
                Recommendation(
                    day: day, advertiserId: advertisers.ids[advertiser], model: .topProduct, rank: offset + 1,
                    productId: keys.string(of: entry.key), views: Int(entry.views)
                )
            }
        }
    }
}
