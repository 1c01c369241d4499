import AdrecsDatabase
import AdrecsDomain
import LibPQ
import Testing

extension TestDatabase {
    var writer: DayWriter { DayWriter(pool: pool, logger: logger) }
    var reader: DayReader { DayReader(pool: pool) }

    /// Kicks a run of `date` (with `force`) and walks it to a running writer stage; returns the run id.
    func runAtWriter(_ date: Day, force: Bool = false) async throws -> String {
        let ledger = self.ledger()
        let run = try await ledger.kick(date: date, force: force)
        _ = try #require(try await ledger.claim(runID: run.runID, stage: .ingest, worker: "i"))
        try await ledger.completeStage(runID: run.runID, stage: .ingest, counts: [:], s3Keys: [:], next: .models)
        _ = try #require(try await ledger.claim(runID: run.runID, stage: .models, worker: "m"))
        try await ledger.completeStage(runID: run.runID, stage: .models, counts: [:], s3Keys: [:], next: .writer)
        _ = try #require(try await ledger.claim(runID: run.runID, stage: .writer, worker: "w"))
        return run.runID
    }

    /// Kicks, walks to the writer and replaces `date` with `rows` (advertisers: their distinct ids).
    @discardableResult
    func commit(_ date: Day, _ rows: [Recommendation], force: Bool = false) async throws -> (runID: String, result: DayWriteResult) {
        let runID = try await runAtWriter(date, force: force)
        let result = try await writer.replaceDay(
            date: date, runID: runID, recommendationsCSV: Sample.csv(rows), advertisersCSV: Sample.advertisersCSV(rows))
        return (runID, result)
    }

    func count(_ date: String) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM recommendations WHERE date = $1::date", [date])[0]
            .decode("n", as: Int.self)
    }
}

/// Sample rows and their CSV documents.
enum Sample {
    /// `count` rows of TopProduct for advertisers `adv0`, `adv1`, … (up to 20 ranks each),
    /// with product ids `<tag>-<n>`.
    static func rows(_ date: Day, count: Int, tag: String) -> [Recommendation] {
        (0..<count).map { index in
            Recommendation(
                day: date, advertiserId: "adv\(index / 20)", model: .topProduct, rank: index % 20 + 1,
                productId: "\(tag)-\(index)", views: 100 - index % 20)
        }
    }

    static func csv(_ rows: [Recommendation]) -> [UInt8] {
        Array(RecommendationCSV.document(rows).utf8)
    }

    static func advertisersCSV(_ rows: [Recommendation]) -> [UInt8] {
        var seen = Set<[UInt8]>()
        let ids = rows.map(\.advertiserId).filter { seen.insert(Array($0.utf8)).inserted }
        return Array(RecommendationCSV.advertisersDocument(ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }).utf8)
    }
}
