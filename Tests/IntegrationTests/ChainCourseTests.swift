import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// The whole chain, real executables and servers, against expected.csv for every date of both courses.
    @Suite("Chain: course data end to end", .timeLimit(.minutes(10)))
    struct ChainCourseTests {
        @Test(arguments: CourseData.folders)
        func everyDateEqualsExpected(_ folder: String) async throws {
            let expected = try CourseData.expected(folder)
            let chain = try await Chain("course-\(folder)")
            do {
                try await chain.startAll()
                try await chain.uploadRaw(folder)
                let days = Array(Set(expected.map(\.day))).sorted()
                #expect(days.count == (folder == "course-2024" ? 30 : 35))
                for day in days {
                    let run = try await chain.waitForRun(try await chain.kick(day))
                    #expect(run.state == .succeeded, "\(day): \(run.error ?? "")")
                    let ingest = try #require(run.stages.first { $0.stage == .ingest })
                    #expect(ingest.counts.values.contains { $0 > 0 }, "ingest recorded counts")
                }
                for day in days {
                    let differences = CourseData.differences(try await chain.recommendations(day), expected.filter { $0.day == day })
                    #expect(differences.isEmpty, "\(folder) \(day): \(differences.joined(separator: "; "))")
                }
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }

        /// Planted malformed lines of every reason are quarantined and leave the results unchanged.
        @Test func malformedLinesAreQuarantinedAndResultsUnchanged() async throws {
            let folder = "course-2025"
            let day = try #require(Day("2025-11-20"))
            let expected = try CourseData.expected(folder).filter { $0.day == day }
            let planted: [String: [(line: String, reason: String)]] = [
                "product_views": [
                    ("", "blank_line"), ("ONLY,TWO", "field_count"), (",p00001,2025-11-20", "empty_advertiser_id"),
                    ("ADV,,2025-11-20", "empty_product_id"), ("ADV,p00001,2025-11-20 ", "bad_date"), ("ADV,p00001,2025-02-30", "bad_date"),
                ],
                "ads_views": [
                    ("A,B,C", "field_count"), (",p1,impression,2025-11-20", "empty_advertiser_id"), ("ADV,,click,2025-11-20", "empty_product_id"),
                    ("ADV,p1,impression,20251120", "bad_date"), ("ADV,p1,view,2025-11-20", "bad_type"),
                ],
            ]
            let chain = try await Chain("malformed")
            do {
                try await chain.startAll()
                try await chain.uploadRaw(folder) { file, bytes in
                    guard let lines = planted[file] else { return bytes }
                    // Insert the planted lines after the header, keeping the file's CRLF endings.
                    let text = String(decoding: bytes, as: UTF8.self)
                    let header = text.prefix { $0 != "\r\n" && $0 != "\n" }
                    let rest = text.dropFirst(header.count)
                    return Array((header + lines.map { "\r\n" + $0.line }.joined() + rest).utf8)
                }
                let run = try await chain.waitForRun(try await chain.kick(day))
                #expect(run.state == .succeeded, "\(run.error ?? "")")
                let differences = CourseData.differences(try await chain.recommendations(day), expected)
                #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")

                let ingest = try #require(run.stages.first { $0.stage == .ingest })
                for (file, lines) in planted {
                    let key = try #require(ingest.s3Keys.first { $0.key.contains("quarantine") && $0.value.contains(file) }?.value,
                                           "quarantine key for \(file) in \(ingest.s3Keys)")
                    let quarantine = String(decoding: try await chain.s3.getObject(bucket: chain.bucket, key: key), as: UTF8.self)
                    let rows = quarantine.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }
                    #expect(rows.count == lines.count, "\(file): \(rows)")
                    for (index, planted) in lines.enumerated() {
                        // Planted lines are lines 2… of the file; a quarantine row is line_number,reason,line.
                        #expect(rows.contains { $0 == "\(index + 2),\(planted.reason),\(planted.line)" },
                                "\(file) line \(index + 2) (\(planted.reason)) missing from \(rows)")
                    }
                }
                // The ledger's counts and the manifest's statistics agree with what was planted.
                #expect(ingest.counts["product_views_quarantined"] == planted["product_views"]!.count, "ledger counts \(ingest.counts)")
                #expect(ingest.counts["ads_views_quarantined"] == planted["ads_views"]!.count, "ledger counts \(ingest.counts)")
                struct Manifest: Decodable { var statistics: RunStatistics }
                let manifestKey = try #require(ingest.s3Keys["manifest"])
                let manifest = try JSONDecoder().decode(Manifest.self, from: Data(try await chain.s3.getObject(bucket: chain.bucket, key: manifestKey)))
                for (file, statistics) in [("product_views", manifest.statistics.productViews), ("ads_views", manifest.statistics.adsViews)] {
                    var reasons: [MalformedReason: Int] = [:]
                    for entry in planted[file]! { reasons[MalformedReason(rawValue: entry.reason)!, default: 0] += 1 }
                    #expect(statistics.malformed == reasons, "\(file) manifest: \(statistics.malformed)")
                }
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }
    }
}
