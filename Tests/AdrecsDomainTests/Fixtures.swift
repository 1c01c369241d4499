import AdrecsDomain

/// Builders for in-memory log documents.
enum Fixtures {
    static let day = Day("2024-11-20")!

    static func productViews(_ rows: [(String, String)], date: String = "2024-11-20", lineEnding: String = "\n") -> [UInt8] {
        document(header: LogKind.productViews.header, lines: rows.map { "\($0.0),\($0.1),\(date)" }, lineEnding: lineEnding)
    }

    static func adsViews(_ rows: [(String, String, String)], date: String = "2024-11-20", lineEnding: String = "\n") -> [UInt8] {
        document(header: LogKind.adsViews.header, lines: rows.map { "\($0.0),\($0.1),\($0.2),\(date)" }, lineEnding: lineEnding)
    }

    static func advertiserIds(_ ids: [String]) -> [UInt8] {
        document(header: "advertiser_id", lines: ids, lineEnding: "\n")
    }

    static func document(header: String, lines: [String], lineEnding: String) -> [UInt8] {
        Array(([header] + lines).map { $0 + lineEnding }.joined().utf8)
    }

    /// `count` copies of `row`.
    static func repeated<T>(_ row: T, _ count: Int) -> [T] { Array(repeating: row, count: count) }

    /// Runs the whole pipeline on single-chunk documents.
    static func run(
        selection: DaySelection = .single(day), ids: [String], productViews: [UInt8], adsViews: [UInt8]
    ) -> [DayResult] {
        DailyModelRun.compute(
            selection: selection, advertiserIds: [advertiserIds(ids)], productViews: [productViews], adsViews: [adsViews]
        )
    }

    static func rows(_ results: [DayResult], _ model: ModelKind, _ advertiser: String) -> [Recommendation] {
        results.flatMap(\.recommendations).filter { $0.model == model && $0.advertiserId == advertiser }
    }
}
