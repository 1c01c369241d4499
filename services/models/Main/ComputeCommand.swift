import AdrecsDomain
import ArgumentParser
import Foundation
import ModelsService

/// Computes TopProduct and TopCTR from a local folder of course-format files.
struct ComputeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compute",
        abstract: "Compute TopProduct and TopCTR from advertiser_ids, product_views and ads_views in a local folder."
    )

    @Option(name: .long, help: "Folder holding advertiser_ids, product_views and ads_views (with or without .csv).")
    var input: String

    @Option(name: .long, help: "Date YYYY-MM-DD; every date present when absent.")
    var date: String?

    @Option(name: .long, help: "Results CSV to write (date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr).")
    var output: String?

    func validate() throws {
        if let date, Day(date) == nil {
            throw ValidationError("--date must be a calendar date YYYY-MM-DD, got '\(date)'")
        }
    }

    func run() throws {
        let selection: DaySelection = date.flatMap(Day.init).map(DaySelection.single) ?? .all
        let report = try LocalModelRunner(directory: input).run(selection: selection)
        if let output {
            let document = RecommendationCSV.document(report.recommendations)
            try Data(document.utf8).write(to: URL(fileURLWithPath: output))
        }
        print(RunSummary.text(report))
    }
}
