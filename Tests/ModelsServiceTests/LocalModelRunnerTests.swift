import AdrecsDomain
import Foundation
import ModelsService
import Testing

@Suite("LocalModelRunner")
struct LocalModelRunnerTests {
    static func makeFolder(_ files: [String: String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("adrecs-models-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, content) in files {
            try Data(content.utf8).write(to: URL(fileURLWithPath: path + "/" + name))
        }
        return path
    }

    @Test func readsFilesWithCsvExtension() throws {
        let folder = try Self.makeFolder([
            "advertiser_ids.csv": "advertiser_id\nA\n",
            "product_views.csv": "advertiser_id,product_id,date\nA,p1,2024-11-20\nA,p1,2024-11-20\nA,p2,2024-11-20\n",
            "ads_views": "advertiser_id,product_id,type,date\nA,p1,impression,2024-11-20\nA,p2,click,2024-11-21",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let report = try LocalModelRunner(directory: folder, chunkSize: 7).run(selection: .all)
        #expect(report.results.map(\.day.description) == ["2024-11-20", "2024-11-21"])
        #expect(report.recommendations.map(RecommendationCSV.line) == [
            "2024-11-20,A,TopCTR,1,p1,,1,0,0.0",
            "2024-11-20,A,TopProduct,1,p1,2,,,",
            "2024-11-20,A,TopProduct,2,p2,1,,,",
        ])
        try #require(report.results.count == 2)
        #expect(report.results[1].statistics.anomalies.clickedWithoutImpressionClicks == 1)
        #expect(report.productViewsBytes > 0 && report.adsViewsBytes > 0)
        #expect(RunSummary.text(report).contains("2024-11-21"))
    }

    @Test func missingInputIsAnError() throws {
        let folder = try Self.makeFolder(["advertiser_ids": "advertiser_id\n", "product_views": "h\n"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ModelsError.inputNotFound(directory: folder, name: "ads_views")) {
            try LocalModelRunner(directory: folder).run(selection: .all)
        }
    }
}
