import AdrecsTestSupport
import AdrecsDatabase
import AdrecsDomain
import APIService
import Configuration
import Foundation
import LibPQ
import Logging

/// A schema of its own on the project's PostgreSQL (`DB_URL`, or a given server), migrated by `Migrator`, filled
/// through the real writer path: a run is kicked and walked through its stages in the ledger,
/// then `DayWriter.replaceDay` commits the day (and notifies `adrecs_days`). Dropped afterwards.
struct LiveDatabase: Sendable {
    let config: DatabaseConfig
    let pool: PGPool

    var schema: String { config.schema }

    /// Runs `body` on a fresh schema of the server at `url` (default: `DB_URL`).
    static func with(url: String? = nil, _ body: (LiveDatabase) async throws -> Void) async throws {
        let url = try url ?? TestEnvironment.require("DB_URL", hint: "e.g. postgresql://adrecs@127.0.0.1:55432/adrecs?sslmode=disable")
        let schema = "apitest_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let config = DatabaseConfig(url: url, schema: schema, poolSize: 2)
        let pool = config.makePool(applicationName: "adrecs-api-test")
        do {
            _ = try await Migrator.migrate(pool: pool, schema: schema, logger: TestApp.logger)
        } catch {
            throw TestFailure("PostgreSQL at DB_URL is not reachable or cannot be migrated: \(error)")
        }
        let database = LiveDatabase(config: config, pool: pool)
        try await TestScope.run { try await body(database) } cleanUp: {
            _ = try? await pool.execute("DROP SCHEMA \(schema) CASCADE")
            await pool.close()
        }
    }

    /// Commits `day` as the pipeline does: kick, ingest, models, writer claimed, `replaceDay`.
    /// Returns the run id the ledger gave it.
    @discardableResult
    func commit(_ day: SnapshotDay) async throws -> String {
        let ledger = RunLedger(pool: pool, logger: TestApp.logger)
        let run = try await ledger.kick(date: day.stamp.date)
        for (stage, next) in [(Stage.ingest, Stage.models), (.models, .writer)] {
            guard try await ledger.claim(runID: run.runID, stage: stage, worker: "api-test") != nil else {
                throw TestFailure("could not claim \(stage) of \(run.runID)")
            }
            try await ledger.completeStage(runID: run.runID, stage: stage, counts: [:], s3Keys: [:], next: next)
        }
        guard try await ledger.claim(runID: run.runID, stage: .writer, worker: "api-test") != nil else {
            throw TestFailure("could not claim the writer stage of \(run.runID)")
        }
        var csv = "date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr\n"
        func field(_ value: (some CustomStringConvertible)?) -> String { value.map { "\($0)" } ?? "" }
        for row in day.recommendations {
            csv += "\(day.stamp.date),\(row.advertiserId),\(row.model.rawValue),\(row.rank),\(row.productId),"
                + "\(field(row.views)),\(field(row.impressions)),\(field(row.clicks)),\(field(row.ctr))\n"
        }
        let advertisers = "advertiser_id\n" + day.activeAdvertisers.map { $0 + "\n" }.joined()
        _ = try await DayWriter(pool: pool, logger: TestApp.logger).replaceDay(
            date: day.stamp.date, runID: run.runID,
            recommendationsCSV: Array(csv.utf8), advertisersCSV: Array(advertisers.utf8))
        return run.runID
    }

    /// The api's configuration for this schema as the executable reads it (environment variables,
    /// so values are parsed from text as in production): port 0, reload timer `reloadSeconds`.
    func apiConfig(reloadSeconds: Int) -> ConfigReader {
        ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: [
            "DB_URL": config.url, "DB_SCHEMA": schema, "PORT": "0", "API_RELOAD_SECONDS": String(reloadSeconds),
        ]))
    }
}
