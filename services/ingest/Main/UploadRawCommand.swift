import ArgumentParser
import IngestService

/// Uploads the course's three raw files from a local folder to the raw prefix in S3.
struct UploadRawCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upload-raw",
        abstract: "Upload advertiser_ids, product_views and ads_views from a folder to the raw prefix (S3_*, INGEST_RAW_*)."
    )

    @Option(name: .long, help: "Folder holding advertiser_ids, product_views and ads_views (with or without .csv).")
    var input: String

    @Option(name: .long, help: "course (one object per input) or daily (raw/<date>/…, needs --date); default INGEST_RAW_LAYOUT or course.")
    var layout: String?

    @Option(name: .long, help: "The day folder for the daily layout, YYYY-MM-DD.")
    var date: String?

    func validate() throws {
        if let layout, !["course", "daily"].contains(layout) { throw ValidationError("--layout must be course or daily") }
        if let date, !IngestTools.isDate(date) { throw ValidationError("--date must be a calendar date YYYY-MM-DD") }
        if layout == "daily" && date == nil { throw ValidationError("--layout daily needs --date") }
    }

    func run() async throws {
        for key in try await IngestTools.uploadRaw(directory: input, layout: layout, date: date) { print(key) }
    }
}
