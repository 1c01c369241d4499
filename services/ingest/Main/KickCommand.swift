import ArgumentParser
import IngestService

/// Kicks a run of a date in the ledger (`DB_URL`), optionally waiting for its end.
struct KickCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kick",
        abstract: "Kick a run of a date (prints its run id); with --wait, wait for it and print each stage."
    )

    @Option(name: .long, help: "The date YYYY-MM-DD.")
    var date: String

    @Flag(name: .long, help: "Commit the day even if the writer finds it suspicious (no rows, or far fewer than recent days).")
    var force = false

    @Flag(name: .long, help: "Wait until the run succeeded or failed; exit 1 if it failed or timed out.")
    var wait = false

    @Option(name: .long, help: "Seconds to wait with --wait (default 600).")
    var timeout: Int = 600

    func validate() throws {
        guard IngestTools.isDate(date) else { throw ValidationError("--date must be a calendar date YYYY-MM-DD, got '\(date)'") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let succeeded = try await IngestTools.kick(date: date, force: force, wait: wait, timeout: .seconds(timeout)) { print($0) }
        if !succeeded { throw ExitCode(1) }
    }
}
