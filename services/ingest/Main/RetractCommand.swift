import ArgumentParser
import IngestService

/// Takes a committed day back (`DB_URL`): the API stops serving it.
struct RetractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Remove a committed day (its recommendations, active advertisers and committed_days row) in one transaction; prints what was removed."
    )

    @Option(name: .long, help: "The date YYYY-MM-DD.")
    var date: String

    func validate() throws {
        guard IngestTools.isDate(date) else { throw ValidationError("--date must be a calendar date YYYY-MM-DD, got '\(date)'") }
    }

    func run() async throws {
        let removed = try await IngestTools.retract(date: date)
        print("retracted \(removed.date): run \(removed.runID), \(removed.recommendationRows) recommendation rows, \(removed.advertisers) advertisers")
    }
}
