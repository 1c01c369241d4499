/// TopProduct and TopCTR for one date (or every date) from the three raw byte streams.
///
/// The two logs are independent: feed them in any order, or aggregate them concurrently with
/// ``ProductViewsAggregator`` and ``AdsViewsAggregator`` and combine with ``results(active:productViews:adsViews:limit:)``.
public struct DailyModelRun: Sendable {
    public let active: ActiveAdvertisers
    public var productViews: ProductViewsAggregator
    public var adsViews: AdsViewsAggregator

    public init(selection: DaySelection, active: ActiveAdvertisers) {
        self.active = active
        self.productViews = ProductViewsAggregator(selection: selection, active: active)
        self.adsViews = AdsViewsAggregator(selection: selection, active: active)
    }

    /// The results of finished aggregators, one per day in date order.
    public func results(limit: Int = 20) -> [DayResult] {
        Self.results(active: active, productViews: productViews, adsViews: adsViews, limit: limit)
    }

    /// Runs everything from chunk sequences (tests, small inputs).
    public static func compute(
        selection: DaySelection,
        advertiserIds: some Sequence<[UInt8]>,
        productViews: some Sequence<[UInt8]>,
        adsViews: some Sequence<[UInt8]>,
        limit: Int = 20
    ) -> [DayResult] {
        var run = DailyModelRun(selection: selection, active: ActiveAdvertisers(parsing: advertiserIds))
        for chunk in productViews { run.productViews.feed(chunk) }
        run.productViews.finish()
        for chunk in adsViews { run.adsViews.feed(chunk) }
        run.adsViews.finish()
        return run.results(limit: limit)
    }

    /// Combines finished aggregators into one result per day, in date order.
    public static func results(
        active: ActiveAdvertisers,
        productViews: ProductViewsAggregator,
        adsViews: AdsViewsAggregator,
        limit: Int = 20
    ) -> [DayResult] {
        let days = Set(productViews.days).union(adsViews.days).sorted()
        return days.map { day in
            let topProduct = (productViews.model(for: day) ?? TopProductModel(advertiserCount: active.count))
                .rankings(day: day, advertisers: active, limit: limit)
            let ctrModel = adsViews.model(for: day) ?? TopCTRModel(advertiserCount: active.count)
            let topCTR = ctrModel.rankings(day: day, advertisers: active, limit: limit)
            var shortLists = ShortLists()
            var rows: [Recommendation] = []
            let order = active.ids.indices.sorted { active.ids[$0].utf8.lexicographicallyPrecedes(active.ids[$1].utf8) }
            for advertiser in order {
                let id = active.ids[advertiser]
                if topCTR[advertiser].count < limit { shortLists.topCTR[id] = topCTR[advertiser].count }
                if topProduct[advertiser].count < limit { shortLists.topProduct[id] = topProduct[advertiser].count }
                rows += topCTR[advertiser]
                rows += topProduct[advertiser]
            }
            let statistics = RunStatistics(
                day: day,
                advertiserIds: active.statistics,
                productViews: productViews.statistics(for: day),
                adsViews: adsViews.statistics(for: day),
                anomalies: ctrModel.anomalies(),
                shortLists: shortLists
            )
            return DayResult(day: day, recommendations: rows, statistics: statistics)
        }
    }
}

/// The output of one day: both models' rows in CSV order, and the day's statistics.
public struct DayResult: Sendable, Equatable {
    public var day: Day
    public var recommendations: [Recommendation]
    public var statistics: RunStatistics

    public init(day: Day, recommendations: [Recommendation], statistics: RunStatistics) {
        self.day = day
        self.recommendations = recommendations
        self.statistics = statistics
    }
}
