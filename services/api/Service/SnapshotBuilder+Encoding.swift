import AdrecsHTTP
import AdrecsDomain
import Hummingbird

extension SnapshotBuilder {
    /// Writes one advertiser's `/history` body and its latest `/recommendations` bodies into the arena.
    mutating func encodeAdvertiser(_ advertiser: String, lists: [[[Recommendation]]]) -> EncodedRefs {
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
                Self.writeItems(lists[d][model.index], model: model, into: &history)
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
            return arena.store(Snapshot.recommendationBody(
                advertiser: advertiser, model: model, date: days[0].date,
                items: historyBuffer.getSlice(at: range.lowerBound, length: range.count)!))
        }
        return EncodedRefs(latest: latest, history: historyRef, items: ranges.map { $0.map(historyRef.sub) })
    }

    private static func writeItems(_ rows: [Recommendation], model: ModelKind, into json: inout JSONBytes) {
        json.raw("[")
        for (i, row) in rows.enumerated() {
            if i > 0 { json.raw(",") }
            json.raw(#"{"rank":"#)
            json.int(row.rank)
            json.raw(#","product_id":"#)
            json.string(row.productId)
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

/// Where an advertiser's encoded bodies are in the arena, until the arena is complete.
struct EncodedRefs {
    var latest: [ByteArena.Ref]
    var history: ByteArena.Ref
    var items: [[ByteArena.Ref]]
}

extension ModelKind {
    /// The position in ``allCases``, for per-model arrays.
    var index: Int {
        switch self {
        case .topCTR: 0
        case .topProduct: 1
        }
    }
}
