/// The ads counts of one product for one advertiser and day.
struct ImpressionsClicks: Sendable, BitwiseCopyable {
    var impressions: UInt32
    var clicks: UInt32
}
