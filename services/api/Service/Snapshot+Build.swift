import AdrecsHTTP
import AdrecsDomain
public import Foundation
import Hummingbird

extension Snapshot {
    /// How many calendar days a snapshot spans, ending at the latest committed date.
    public static let windowDays = 7

    /// Builds a snapshot from days held in memory (any order; days outside the window of the
    /// newest are dropped); `nil` when `days` is empty. Each day's rows count for its stamp's date.
    public static func build(days: [SnapshotDay], loadedAt: Date = Date()) -> Snapshot? {
        var builder = SnapshotBuilder(loadedAt: loadedAt)
        builder.add(days)
        return builder.finish()
    }

    /// The `/recommendations` body around an encoded `items` array.
    static func recommendationBody(advertiser: String, model: ModelKind, date: Day, items: ByteBuffer) -> ByteBuffer {
        var body = JSONBytes(capacity: 96 + advertiser.utf8.count + items.readableBytes)
        body.raw(#"{"advertiser_id":"#)
        body.string(advertiser)
        body.raw(#","model":""#)
        body.buffer.writeString(model.rawValue)
        body.raw(#"","date":""#)
        body.buffer.writeString(date.description)
        body.raw(#"","items":"#)
        body.raw(items)
        body.raw("}")
        return body.buffer
    }
}
