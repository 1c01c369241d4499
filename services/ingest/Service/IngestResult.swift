public import AdrecsDomain
public import AdrecsStorage
public import AdrecsWire

/// What one ingest run produced.
public struct IngestResult: Sendable {
    public var keys: RunKeys
    public var manifest: IngestManifest
    /// Quarantined lines of `advertiser_ids`, `product_views` and `ads_views`.
    public var quarantined: [RawInput: Int]
    public var bytesRead: Int
    public var bytesWritten: Int

    public var statistics: RunStatistics { manifest.statistics }

    /// The ledger's `counts` of the stage.
    public var counts: [String: Int] {
        let s = statistics
        return [
            "advertisers_active": s.advertiserIds.active,
            "advertiser_ids_read": s.advertiserIds.linesRead,
            "advertiser_ids_quarantined": quarantined[.advertiserIds, default: 0],
            "product_views_read": s.productViews.linesRead,
            "product_views_kept": s.productViews.rowsKept,
            "product_views_quarantined": quarantined[.productViews, default: 0],
            "ads_views_read": s.adsViews.linesRead,
            "ads_views_kept": s.adsViews.rowsKept,
            "ads_views_quarantined": quarantined[.adsViews, default: 0],
            "bytes_read": bytesRead,
            "bytes_written": bytesWritten,
        ]
    }

    /// The ledger's `s3_keys` of the stage: the manifest's written keys plus `manifest`.
    public var s3Keys: [String: String] {
        manifest.keys.merging(["manifest": keys.ingestManifest]) { $1 }
    }

    /// The message for the models stage.
    public var message: IngestCompleted {
        IngestCompleted(
            runID: keys.runID, date: keys.date,
            productViewsKey: keys.ingestProductViews, adsViewsKey: keys.ingestAdsViews,
            advertisersKey: keys.ingestAdvertisers, manifestKey: keys.ingestManifest,
            productViewRows: statistics.productViews.rowsKept, adsViewRows: statistics.adsViews.rowsKept
        )
    }
}
