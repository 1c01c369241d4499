import AdrecsDomain
public import Foundation
import Hummingbird

extension Snapshot {
    /// How many calendar days a snapshot spans, ending at the latest committed date.
    public static let windowDays = 7

    /// Builds a snapshot from `days` (any order; days outside the window of the newest are
    /// dropped); `nil` when `days` is empty.
    /// The rows of `input` are released day by day while building (it is consumed).
    public static func build(days input: consuming [SnapshotDay], loadedAt: Date = Date()) -> Snapshot? {
        guard let newest = input.map(\.stamp.date).max() else { return nil }
        let horizon = newest.apiEpochDays - windowDays
        var days = input.filter { $0.stamp.date.apiEpochDays > horizon }.sorted { $0.stamp.date > $1.stamp.date }
        input = []
        let stamps = days.map(\.stamp)

        // lists[advertiser][dayIndex][modelIndex], ranks ascending.
        var lists: [String: [[[SnapshotRecommendation]]]] = [:]
        let empty = Array(repeating: Array(repeating: [SnapshotRecommendation](), count: ModelKind.allCases.count),
                          count: days.count)
        for dayIndex in days.indices {
            let day = days[dayIndex]
            for advertiser in day.activeAdvertisers where lists[advertiser] == nil {
                lists[advertiser] = empty
            }
            for row in day.recommendations {
                lists[row.advertiserID, default: empty][dayIndex][row.model.index].append(row)
            }
            days[dayIndex].recommendations = []
        }
        // Stats first: encoding then consumes the lists advertiser by advertiser (lower peak memory).
        let stats = SnapshotStats(days: days, lists: lists, loadedAt: loadedAt).encoded()
        var advertisers: [String: AdvertiserEntry] = [:]
        advertisers.reserveCapacity(lists.count)
        var arena = ByteArena()
        var refs: [(String, EncodedRefs)] = []
        refs.reserveCapacity(lists.count)
        for advertiser in Array(lists.keys) {
            guard var perDay = lists.removeValue(forKey: advertiser) else { continue }
            for d in perDay.indices {
                for m in perDay[d].indices where perDay[d][m].count > 1 {
                    perDay[d][m].sort { $0.rank < $1.rank }
                }
            }
            refs.append((advertiser, encodeAdvertiser(advertiser, lists: perDay, days: stamps, arena: &arena)))
        }
        for (advertiser, ref) in refs {
            advertisers[advertiser] = AdvertiserEntry(
                latest: ref.latest.map(arena.slice), history: arena.slice(ref.history),
                items: ref.items.map { $0.map(arena.slice) })
        }
        return Snapshot(days: stamps, loadedAt: loadedAt, advertisers: advertisers, stats: stats)
    }

    private static func encodeAdvertiser(
        _ advertiser: String, lists: [[[SnapshotRecommendation]]], days: [DayStamp], arena: inout ByteArena
    ) -> EncodedRefs {
        var history = JSONBytes(capacity: 256 + days.count * 2 * 20 * 80)
        var ranges: [[Range<Int>]] = []
        history.raw(#"{"advertiser_id":"#)
        history.string(advertiser)
        history.raw(#","days":["#)
        for (d, day) in days.enumerated() {
            if d > 0 { history.raw(",") }
            history.raw(#"{"date":""#)
            history.buffer.writeString(day.date.description)
            history.raw(#"","run_id":"#)
            history.string(day.runID)
            history.raw(#","models":{"#)
            var dayRanges: [Range<Int>] = []
            for model in ModelKind.allCases {
                if model.index > 0 { history.raw(",") }
                history.raw("\"")
                history.buffer.writeString(model.rawValue)
                history.raw("\":")
                let start = history.buffer.writerIndex
                writeItems(lists[d][model.index], model: model, into: &history)
                dayRanges.append(start..<history.buffer.writerIndex)
            }
            ranges.append(dayRanges)
            history.raw("}}")
        }
        history.raw("]}")
        let historyBuffer = history.buffer
        let historyRef = arena.store(historyBuffer)
        let latest = ModelKind.allCases.map { model in
            let range = ranges[0][model.index]
            return arena.store(recommendationBody(
                advertiser: advertiser, model: model, date: days[0].date,
                items: historyBuffer.getSlice(at: range.lowerBound, length: range.count)!))
        }
        return EncodedRefs(latest: latest, history: historyRef, items: ranges.map { $0.map(historyRef.sub) })
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

    private static func writeItems(_ rows: [SnapshotRecommendation], model: ModelKind, into json: inout JSONBytes) {
        json.raw("[")
        for (i, row) in rows.enumerated() {
            if i > 0 { json.raw(",") }
            json.raw(#"{"rank":"#)
            json.int(row.rank)
            json.raw(#","product_id":"#)
            json.string(row.productID)
            switch model {
            case .topProduct:
                json.raw(#","views":"#)
                json.int(row.views)
            case .topCTR:
                json.raw(#","impressions":"#)
                json.int(row.impressions)
                json.raw(#","clicks":"#)
                json.int(row.clicks)
                json.raw(#","ctr":"#)
                json.double(row.ctr)
            }
            json.raw("}")
        }
        json.raw("]")
    }
}
