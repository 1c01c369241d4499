import AdrecsDomain
import AdrecsHTTP
import AdrecsRuntime
import ArgumentParser
import Foundation
import ModelsService

@main
struct AdrecsModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adrecs-models",
        abstract: "The adrecs models service. Configuration comes from the environment: the keys below, with their defaults.",
        discussion: ModelsConfig.settings.helpText,
        version: BuildInfo.current.description,
        subcommands: [ServeCommand.self, ComputeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

/// Runs the models service until SIGTERM or SIGINT (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the models service until SIGTERM; configuration comes from the environment (see adrecs-models --help).",
        discussion: ModelsConfig.settings.helpText
    )

    func run() async throws {
        try await ServiceProcess.serve(service: "models", settings: ModelsConfig.settings, build: buildModels)
    }
}

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
