import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Configuration
import Foundation
import IngestService
import Testing

/// The one-shot subcommands' logic (`kick`, `upload-raw`, `migrate`) against the real servers.
@Suite(.offThePool, .timeLimit(.minutes(2)))
struct IngestToolsTests {
    private static func reader(_ fixture: IngestFixture, _ extra: [String: String] = [:]) -> ConfigReader {
        let servers = fixture.servers
        return BuildIngestTests.reader([
            "db.url": servers.databaseURL, "db.schema": fixture.schema,
            "s3.endpoint": servers.s3Endpoint, "s3.region": servers.s3Region, "s3.bucket": fixture.bucket,
            "aws.access.key.id": servers.accessKeyID, "aws.secret.access.key": servers.secretAccessKey,
        ].merging(extra) { $1 })
    }

    @Test func uploadRawStreamsTheThreeFilesToTheLayoutsKeys() async throws {
        try await IngestFixture.with("upload") { fixture in
            let folder = CourseData.root + "/course-2025"
            let course = try await IngestTools.uploadRaw(reader: Self.reader(fixture), directory: folder, layout: nil, date: nil)
            #expect(course == ["raw/advertiser_ids", "raw/product_views", "raw/ads_views"])
            let uploaded = try await fixture.client.getObject(bucket: fixture.bucket, key: "raw/product_views")
            #expect(uploaded == (try CourseData.bytes("course-2025", "product_views")))
            let daily = try await IngestTools.uploadRaw(
                reader: Self.reader(fixture, ["ingest.raw.prefix": "in"]), directory: folder, layout: "daily", date: "2025-11-15")
            #expect(daily == ["in/2025-11-15/advertiser_ids", "in/2025-11-15/product_views", "in/2025-11-15/ads_views"])
            let head = try await fixture.client.headObject(bucket: fixture.bucket, key: "in/2025-11-15/ads_views")
            #expect(head?.size == Int64(try CourseData.bytes("course-2025", "ads_views").count))
            await #expect(throws: IngestError.self) {
                _ = try await IngestTools.uploadRaw(reader: Self.reader(fixture), directory: "/nonexistent", layout: nil, date: nil)
            }
        }
    }

    @Test func kickPrintsTheRunIDAndRefusesASecondKick() async throws {
        try await IngestFixture.with("kick") { fixture in
            var printed: [String] = []
            let succeeded = try await IngestTools.kick(
                date: "2025-11-21", wait: false, timeout: .seconds(1), reader: Self.reader(fixture)) { printed.append($0) }
            #expect(succeeded)
            let runID = try #require(printed.first)
            #expect(try await fixture.ledger.run(id: runID)?.state == .queued)
            let error = await #expect(throws: LedgerError.self) {
                _ = try await IngestTools.kick(date: "2025-11-21", wait: false, timeout: .seconds(1), reader: Self.reader(fixture)) { _ in }
            }
            #expect(error == .runInProgress(runID: runID, date: "2025-11-21"))
        }
    }

    @Test func kickRefusesADateLaterThanTomorrowAndRecordsForce() async throws {
        try await IngestFixture.with("kickf") { fixture in
            let later = try Day.utcToday(offset: 2)
            let error = await #expect(throws: LedgerError.self) {
                _ = try await IngestTools.kick(
                    date: later.description, wait: false, timeout: .seconds(1), reader: Self.reader(fixture)) { _ in }
            }
            #expect(error == .futureDate(date: later.description, latest: try Day.utcToday(offset: 1).description))
            #expect(error?.description.contains("later than tomorrow") == true)
            #expect(try await fixture.ledger.runs(date: later).isEmpty)

            var printed: [String] = []
            _ = try await IngestTools.kick(
                date: "2025-11-21", force: true, wait: false, timeout: .seconds(1), reader: Self.reader(fixture)) { printed.append($0) }
            #expect(try await fixture.ledger.run(id: try #require(printed.first))?.force == true)
        }
    }

    @Test func retractRemovesACommittedDayAndFailsWhenThereIsNone() async throws {
        try await IngestFixture.with("retract") { fixture in
            let error = await #expect(throws: LedgerError.self) {
                _ = try await IngestTools.retract(date: "2025-11-15", reader: Self.reader(fixture))
            }
            #expect(error == .dayNotCommitted("2025-11-15"))
            await #expect(throws: IngestError.self) {
                _ = try await IngestTools.retract(date: "2025-13-01", reader: Self.reader(fixture))
            }
        }
    }

    @Test func kickWaitReportsTheStagesAndFailsOnAFailedRun() async throws {
        try await IngestFixture.with("wait") { fixture in
            var printed: [String] = []
            // No raw input: the worker fails the ingest stage.
            let succeeded = try await WorkerHarness.with(fixture) { _, _ in
                try await IngestTools.kick(date: "2025-11-22", wait: true, timeout: .seconds(20), reader: Self.reader(fixture)) {
                    printed.append($0)
                }
            }
            #expect(!succeeded)
            let last = try #require(printed.last)
            #expect(last.contains(": failed (ingest: raw input not found: raw/advertiser_ids or raw/advertiser_ids.csv)"))
            #expect(last.contains("  ingest: failed error: raw input not found"))
            #expect(last.contains("  models: pending"))
        }
    }

    @Test func migrateIsIdempotent() async throws {
        try await IngestFixture.with("migrate") { fixture in
            // The fixture migrated already.
            #expect(try await IngestTools.migrate(reader: Self.reader(fixture), logger: fixture.logger).isEmpty)
            let fresh = TestEnvironment.uniqueName("ingest_fresh_")
            let applied = try await IngestTools.migrate(reader: Self.reader(fixture, ["db.schema": fresh]), logger: fixture.logger)
            #expect(applied.last == Migrator.latestVersion)
            #expect(applied == Migrator.versions)
            _ = try await fixture.pool.execute("DROP SCHEMA IF EXISTS \(fresh) CASCADE")
        }
    }
}
