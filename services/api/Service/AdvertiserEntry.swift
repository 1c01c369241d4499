import AdrecsDomain
import Hummingbird

/// What a snapshot holds for one advertiser: the pre-encoded bodies and, per held day and model,
/// the encoded `items` array (a slice of the history body, so it costs no extra memory).
struct AdvertiserEntry: Sendable {
    /// The full `/recommendations` body of the latest date, indexed like ``ModelKind/allCases``.
    let latest: [ByteBuffer]
    /// The full `/history` body.
    let history: ByteBuffer
    /// `items[dayIndex][modelIndex]`: the JSON array of that day's list; day index as in ``Snapshot/days``.
    let items: [[ByteBuffer]]
}
