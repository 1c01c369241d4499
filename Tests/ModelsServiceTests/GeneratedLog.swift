import Zstd

/// A synthetic filtered log of one date as ingest writes it (one zstd frame), generated in
/// 1 MiB chunks of CSV: `rows` rows over `advertisers` advertisers (`ADV00000000000000000`…)
/// and 500 products each.
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
        var encoder: ZstdEncoder?

        mutating func next() async throws -> [UInt8]? {
            guard let encoder else { return nil }
            var output: [UInt8] = []
            if produced < log.rows {
                try encoder.compress(nextCSV(), appendingTo: &output)
            } else {
                try encoder.finish(appendingTo: &output)
                self.encoder = nil
            }
            return output
        }

        private mutating func nextCSV() -> [UInt8] {
            if produced < 0 {
                produced = 0
                return Array((log.ads ? "advertiser_id,product_id,type,date\n" : "advertiser_id,product_id,date\n").utf8)
            }
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

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(log: self, encoder: try? ZstdEncoder()) }
}
