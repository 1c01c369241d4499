import AdrecsTestSupport
import AdrecsDatabase
import AdrecsDomain
import AdrecsWire
import Foundation
import ModelsService
import Testing
import Zstd

/// The models stage through real sockets, S3 and PostgreSQL.
@Suite("Models stage", .serialized, .offThePool, .timeLimit(.minutes(3)))
struct ModelsStageTests {
    static let folder = CourseData.folder("course-2025")

    static func expectedRows(_ day: Day) throws -> [Recommendation] {
        let path = folder + "/expected.csv"
        let document = try String(contentsOfFile: path, encoding: .utf8)
        return try RecommendationCSV.parse(document: document).filter { $0.day == day }
    }

    @Test func computesOneDateEndToEnd() async throws {
        let day = try #require(Day("2025-11-17"))
        let expected = try Self.expectedRows(day)
        try #require(!expected.isEmpty, "expected.csv has no rows of \(day)")
        try await ModelsHarness.with { harness in
            let runID = try await harness.queueModels(day)
            let ingest = try await harness.putFilteredInputs(folder: Self.folder, day: day, runID: runID)
            try await harness.toModels.send(WireCodec.encode(ingest))

            let reply = try #require(try await harness.receive(within: .seconds(30)), "no ModelsCompleted from the worker")
            let completed = try WireCodec.decode(ModelsCompleted.self, from: reply)
            #expect(completed.runID == runID && completed.date.description == "2025-11-17")
            #expect(completed.recommendationRows == expected.count)
            #expect(completed.advertisers == 20)

            let csv = try await harness.client.getObject(bucket: harness.bucket, key: completed.recommendationsKey)
            let text = String(decoding: csv, as: UTF8.self)
            #expect(text.hasPrefix(RecommendationCSV.header + "\n"))
            CourseDataAcceptanceTests.compare(try RecommendationCSV.parse(document: text), expected, "models stage \(day)")

            let advertisers = String(decoding: try await harness.client.getObject(bucket: harness.bucket, key: completed.advertisersKey), as: UTF8.self)
            let advertiserLines = advertisers.split(separator: "\n")
            #expect(advertiserLines.first == "advertiser_id")
            #expect(advertiserLines.count == 21 && Set(advertiserLines.dropFirst()).count == 20)

            let run = try await harness.waitForRun(runID) { $0.stage(.models)?.state == .succeeded }
            #expect(run.stage(.models)?.counts["recommendation_rows"] == expected.count)
            #expect(run.stage(.models)?.s3Keys["manifest"] != nil)
            #expect(run.stage(.writer)?.state == .queued)
            let manifestKey = try #require(run.stage(.models)?.s3Keys["manifest"])
            let manifest = try JSONDecoder().decode(
                ModelsManifest.self, from: Data(try await harness.client.getObject(bucket: harness.bucket, key: manifestKey)))
            #expect(manifest.recommendationRows == expected.count)
            #expect(manifest.statistics?.productViews.rowsKept == ingest.productViewRows)
            #expect(manifest.statistics?.adsViews.rowsKept == ingest.adsViewRows)

            // The same message again: the stage is no longer queued, so nothing is recomputed or sent.
            try await harness.toModels.send(WireCodec.encode(ingest))
            #expect(try await harness.receive(within: .seconds(2)) == nil, "a duplicate message was processed")
            #expect(try await harness.ledger.run(id: runID)?.stage(.models)?.state == .succeeded)
        }
    }

    @Test func unknownVersionFailsTheStageAndTheWorkerGoesOn() async throws {
        let day = try #require(Day("2025-11-20"))
        try await ModelsHarness.with { harness in
            let rejectedRun = try await harness.queueModels(day)
            try await harness.toModels.send(Array(#"{"type":"ingest.completed","version":99,"runID":"\#(rejectedRun)"}"#.utf8))
            try await harness.toModels.send(Array("not json at all".utf8))
            let rejected = try await harness.waitForRun(rejectedRun) { $0.state == .failed }
            #expect(rejected.stage(.models)?.state == .failed)
            #expect(rejected.error?.contains("version 99") == true, "error: \(rejected.error ?? "none")")

            // The worker still runs: a good message for a new run of the same date is processed.
            let runID = try await harness.queueModels(day)
            let ingest = try await harness.putFilteredInputs(folder: Self.folder, day: day, runID: runID)
            try await harness.toModels.send(WireCodec.encode(ingest))
            let reply = try #require(try await harness.receive(within: .seconds(30)), "the worker stopped after a bad message")
            #expect(try WireCodec.decode(ModelsCompleted.self, from: reply).runID == runID)
        }
    }

    @Test func missingInputFailsTheStageWithTheS3Code() async throws {
        let day = try #require(Day("2025-11-21"))
        try await ModelsHarness.with { harness in
            let runID = try await harness.queueModels(day)
            var ingest = try await harness.putFilteredInputs(folder: Self.folder, day: day, runID: runID)
            ingest.adsViewsKey += ".missing"
            try await harness.toModels.send(WireCodec.encode(ingest))
            let run = try await harness.waitForRun(runID) { $0.state == .failed }
            #expect(run.stage(.models)?.state == .failed)
            #expect(run.error?.contains("NoSuchKey") == true, "error: \(run.error ?? "none")")
        }
    }

    enum Damage: String, CaseIterable, Sendable {
        /// The filtered log stored as plain CSV, not as a zstd frame.
        case plainCSV
        /// The zstd frame cut short (an interrupted copy).
        case truncated
    }

    @Test("a filtered log that is not a whole zstd frame fails the stage, naming the object", arguments: Damage.allCases)
    func undecodableInputFailsTheStage(_ damage: Damage) async throws {
        let day = try #require(Day("2025-11-22"))
        try await ModelsHarness.with { harness in
            let runID = try await harness.queueModels(day)
            let ingest = try await harness.putFilteredInputs(folder: Self.folder, day: day, runID: runID)
            let frame = try await harness.client.getObject(bucket: harness.bucket, key: ingest.adsViewsKey)
            let bytes = switch damage {
            case .plainCSV: try ZstdDecoder.decompress(frame)
            case .truncated: Array(frame.dropLast(frame.count / 3))
            }
            try await harness.client.putObject(bucket: harness.bucket, key: ingest.adsViewsKey, bytes: bytes)
            try await harness.toModels.send(WireCodec.encode(ingest))
            let run = try await harness.waitForRun(runID) { $0.state == .failed }
            let error = try #require(run.stage(.models)?.error)
            #expect(error.hasPrefix("object \(ingest.adsViewsKey) is not a complete zstd-compressed CSV: "), "error: \(error)")
            #expect(error.contains(damage == .plainCSV ? "Unknown frame descriptor" : "truncated stream"), "error: \(error)")
            #expect(run.stage(.writer)?.state == .pending)
        }
    }
}

extension ModelsStageTests {
    /// Sends a day of 400,000 + 400,000 generated rows and returns its run id once the worker is computing it.
    static func startBigDay(_ harness: ModelsHarness) async throws -> String {
        let day = try #require(Day("2025-11-23"))
        let runID = try await harness.queueModels(day)
        let keys = (pv: "runs/big/product_views.csv.zst", av: "runs/big/ads_views.csv.zst", adv: "runs/big/advertiser_ids.csv")
        let advertisers = "advertiser_id\n" + (0..<1600).map { GeneratedLog.advertiserID($0) + "\n" }.joined()
        try await harness.client.putObject(bucket: harness.bucket, key: keys.adv, bytes: Array(advertisers.utf8))
        for (key, ads) in [(keys.pv, false), (keys.av, true)] {
            try await harness.client.putObject(
                bucket: harness.bucket, key: key, chunks: GeneratedLog(rows: 400_000, advertisers: 1600, ads: ads, date: day.description))
        }
        let message = IngestCompleted(
            runID: runID, date: day, productViewsKey: keys.pv, adsViewsKey: keys.av,
            advertisersKey: keys.adv, manifestKey: "unused", productViewRows: 400_000, adsViewRows: 400_000)
        try await harness.toModels.send(WireCodec.encode(message))
        _ = try await harness.waitForRun(runID, timeout: .seconds(10)) { $0.stage(.models)?.state == .running }
        return runID
    }

    /// A worker cancelled mid-run (graceful shutdown ran out of time) gives its stage back,
    /// abandoned, for another process to redo; the run goes on.
    @Test func cancelledWorkGivesTheStageBack() async throws {
        try await ModelsHarness.with { harness in
            let runID = try await Self.startBigDay(harness)
            await harness.stopWorker()
            let run = try #require(try await harness.ledger.run(id: runID))
            #expect(run.state == .running, "run: \(run)")
            #expect(run.stage(.models)?.state == .queued)
            #expect(run.stage(.models)?.error == "abandoned: service shutting down")
            #expect(run.stage(.models)?.attempts == 1)
            #expect(run.stage(.writer)?.state == .pending)
        }
    }

    /// SIGTERM mid-run: the current message finishes and reaches the writer when it can within the
    /// grace (`abandonAfter`); past the grace it is given back, abandoned, and the worker stops.
    @Test(arguments: [true, false])
    func gracefulShutdownLetsTheCurrentMessageFinishWithinTheGrace(finishes: Bool) async throws {
        try await ModelsHarness.with(abandonAfter: finishes ? .seconds(60) : .zero) { harness in
            let runID = try await Self.startBigDay(harness)
            await harness.shutDownGracefully()
            let run = try #require(try await harness.ledger.run(id: runID))
            if finishes {
                #expect(run.stage(.models)?.state == .succeeded, "run: \(run)")
                #expect(run.stage(.writer)?.state == .queued)
                let reply = try #require(try await harness.receive(within: .seconds(10)), "the writer got no message")
                #expect(try WireCodec.decode(ModelsCompleted.self, from: reply).runID == runID)
            } else {
                #expect(run.state == .running, "run: \(run)")
                #expect(run.stage(.models)?.state == .queued)
                #expect(run.stage(.models)?.error == "abandoned: service shutting down")
                #expect(run.stage(.writer)?.state == .pending)
            }
        }
    }
}
