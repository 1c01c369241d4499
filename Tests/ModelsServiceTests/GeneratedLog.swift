/// A synthetic filtered log of one date, generated in 1 MiB chunks: `rows` rows over
/// `advertisers` advertisers (`ADV00000000000000000`…) and 500 products each.
struct GeneratedLog: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    let rows: Int
    let advertisers: Int
    let ads: Bool
    let date: String

    static func advertiserID(_ index: Int) -> String {
        let digits = String(index)
        return "ADV" + String(repeating: "0", count: 17 - digits.count) + digits
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let log: GeneratedLog
        var produced = -1

        mutating func next() async -> [UInt8]? {
            if produced < 0 {
                produced = 0
                return Array((log.ads ? "advertiser_id,product_id,type,date\n" : "advertiser_id,product_id,date\n").utf8)
            }
            guard produced < log.rows else { return nil }
            var text = ""
            text.reserveCapacity(1 << 20)
            let end = Swift.min(log.rows, produced + 20_000)
            while produced < end {
                text += GeneratedLog.advertiserID(produced % log.advertisers) + ",p\((produced / 7) % 500),"
                if log.ads { text += produced % 20 == 0 ? "click," : "impression," }
                text += log.date + "\n"
                produced += 1
            }
            return Array(text.utf8)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(log: self) }
}
