import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// Ids are the bytes between commas: whatever the parser accepts is committed and served exactly.
    @Suite("Chain: any id round-trips", .timeLimit(.minutes(5)))
    struct ChainIdsTests {
        static let day = Day("2025-11-20")!

        /// Advertiser and product ids that CSV, COPY, JSON or URLs treat specially.
        static let advertisers = [
            "adv\"q", "back\\slash", "tab\there", " spaced out ", "\\.", "café", "cafe\u{301}", "日本", "a/b", "%41+", "..",
        ]
        static let products = [
            "p\"2", "\"", "a\\b", "\\", "\\.", "\\N", "t\tab", " ", "x y", "crème", "日本語", "\u{1F600}", "NULL", "'q'", "a\rb",
        ]

        /// The raw input: every advertiser sees every product (more for lower indices, so rankings
        /// have an order), plus lines to quarantine: an id that is not UTF-8 and a 300-byte id.
        static func rawInput() -> (advertiserIDs: [UInt8], productViews: [UInt8], adsViews: [UInt8]) {
            let date = day.description
            let notUTF8: [UInt8] = [0x62, 0x61, 0x64, 0xFF, 0xFE]
            let long = Array(String(repeating: "L", count: 300).utf8)
            var advertiserIDs = Array("advertiser_id\n".utf8)
            for id in advertisers { advertiserIDs += Array(id.utf8) + [0x0A] }
            advertiserIDs += notUTF8 + [0x0A] + long + [0x0A]
            var productViews = Array("\(LogKind.productViews.header)\n".utf8)
            var adsViews = Array("\(LogKind.adsViews.header)\n".utf8)
            for (a, advertiser) in advertisers.enumerated() {
                for (p, product) in products.enumerated() {
                    for _ in 0..<((a + p) % 4 + 1) {
                        productViews += Array("\(advertiser),\(product),\(date)\n".utf8)
                        adsViews += Array("\(advertiser),\(product),impression,\(date)\n".utf8)
                    }
                    if (a + p).isMultiple(of: 3) { adsViews += Array("\(advertiser),\(product),click,\(date)\n".utf8) }
                }
            }
            productViews += Array("\(advertisers[0]),".utf8) + notUTF8 + Array(",\(date)\n".utf8)
            productViews += long + Array(",p1,\(date)\n".utf8)
            adsViews += notUTF8 + Array(",p1,click,\(date)\n".utf8)
            adsViews += Array("\(advertisers[0]),".utf8) + long + Array(",impression,\(date)\n".utf8)
            return (advertiserIDs, productViews, adsViews)
        }

        private static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

        private static func segment(_ id: String) -> String {
            let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
            return id.addingPercentEncoding(withAllowedCharacters: unreserved) ?? id
        }

        @Test func awkwardIdsAreCommittedAndServedExactly() async throws {
            let raw = Self.rawInput()
            let expected = try #require(DailyModelRun.compute(
                selection: .single(Self.day), advertiserIds: [raw.advertiserIDs], productViews: [raw.productViews],
                adsViews: [raw.adsViews]
            ).first).recommendations.sorted(by: Recommendation.csvOrder)
            try #require(Set(expected.map { Self.bytes($0.advertiserId) }).count == Self.advertisers.count)
            try #require(Set(expected.map { Self.bytes($0.productId) }).count == Self.products.count)

            let chain = try await Chain("ids")
            do {
                try await chain.startAll()
                for (file, bytes) in [("advertiser_ids", raw.advertiserIDs), ("product_views", raw.productViews), ("ads_views", raw.adsViews)] {
                    _ = try await chain.s3.putObject(bucket: chain.bucket, key: "raw/\(file)", bytes: bytes, contentType: "text/csv")
                }
                let run = try await chain.waitForRun(try await chain.kick(Self.day))
                let tails = run.state == .succeeded ? "" : await chain.logTails()
                try #require(run.state == .succeeded, "\(run.error ?? "")\n\(tails)")

                // Committed byte for byte as the model core computes it in-process.
                let committed = try await chain.recommendations(Self.day)
                #expect(committed.map { Self.bytes($0.advertiserId) } == expected.map { Self.bytes($0.advertiserId) })
                #expect(committed.map { Self.bytes($0.productId) } == expected.map { Self.bytes($0.productId) })
                #expect(committed == expected)
                let active = try await chain.reader.activeAdvertisers(date: Self.day.description)
                #expect(Set(active.map(Self.bytes)) == Set(Self.advertisers.map(Self.bytes)))

                // The results object stays a CSV any tool reads: Python's csv module gets every id back exactly.
                let models = try #require(run.stages.first { $0.stage == .models })
                let csv = try await chain.s3.getObject(bucket: chain.bucket, key: try #require(models.s3Keys["recommendations"]))
                let records = try await Self.readByPython(csv)
                #expect(records.first == RecommendationCSV.header.split(separator: ",").map(String.init))
                #expect(records.dropFirst().map { $0.count == 9 ? [Self.bytes($0[1]), Self.bytes($0[4])] : [] }
                    == expected.map { [Self.bytes($0.advertiserId), Self.bytes($0.productId)] })

                // Quarantined with their reasons; the night still succeeded.
                let ingest = try #require(run.stages.first { $0.stage == .ingest })
                let quarantined: [(file: String, line: Int, reason: String)] = [
                    ("advertiser_ids", Self.advertisers.count + 2, "invalid_utf8"), ("advertiser_ids", Self.advertisers.count + 3, "id_too_long"),
                    ("product_views", Self.lastLine(raw.productViews) - 1, "invalid_utf8"),
                    ("product_views", Self.lastLine(raw.productViews), "id_too_long"),
                    ("ads_views", Self.lastLine(raw.adsViews) - 1, "invalid_utf8"),
                    ("ads_views", Self.lastLine(raw.adsViews), "id_too_long"),
                ]
                for file in ["advertiser_ids", "product_views", "ads_views"] {
                    let key = try #require(ingest.s3Keys.first { $0.key.contains("quarantine") && $0.value.hasSuffix("/\(file).csv") }?.value)
                    let object = try await chain.s3.getObject(bucket: chain.bucket, key: key)
                    let rows = object.split(separator: 0x0A).dropFirst().map { row in
                        // line_number,reason,<raw line>: the raw line is not necessarily UTF-8.
                        let fields = row.split(separator: UInt8(ascii: ","), maxSplits: 2, omittingEmptySubsequences: false)
                        return (line: Int(String(decoding: fields[0], as: UTF8.self)) ?? -1, reason: String(decoding: fields[1], as: UTF8.self))
                    }
                    let wanted = quarantined.filter { $0.file == file }
                    #expect(rows.map(\.line) == wanted.map(\.line), "\(file): \(rows)")
                    #expect(rows.map(\.reason) == wanted.map(\.reason), "\(file): \(rows)")
                    #expect(ingest.counts["\(file)_quarantined"] == 2, "\(ingest.counts)")
                }

                // Served by the API: each id percent-encoded in the path, exact in the JSON body.
                try await chain.start(.api)
                for advertiser in Self.advertisers {
                    for model in ModelKind.allCases {
                        let response = try await chain.http(.api, "/recommendations/\(Self.segment(advertiser))/\(model.rawValue)")
                        #expect(response.status == 200, "\(advertiser.debugDescription) \(model): \(response.text)")
                        let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
                        #expect((body["advertiser_id"] as? String).map(Self.bytes) == Self.bytes(advertiser))
                        let items = try #require(body["items"] as? [[String: Any]])
                        let served = items.compactMap { ($0["product_id"] as? String).map(Self.bytes) }
                        let wanted = expected.filter { Self.bytes($0.advertiserId) == Self.bytes(advertiser) && $0.model == model }
                        #expect(!wanted.isEmpty)
                        #expect(served == wanted.map { Self.bytes($0.productId) }, "\(advertiser.debugDescription) \(model)")
                    }
                    let history = try await chain.http(.api, "/history/\(Self.segment(advertiser))/")
                    #expect(history.status == 200, "\(advertiser.debugDescription): \(history.text)")
                }
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }

        /// The records of `csv` as Python's `csv` module reads them (RFC 4180 dialect `excel`).
        private static func readByPython(_ csv: [UInt8]) async throws -> [[String]] {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("adrecs-ids-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let input = folder.appendingPathComponent("recommendations.csv"), output = folder.appendingPathComponent("records.json")
            try Data(csv).write(to: input)
            let script = """
                import csv, json, sys
                with open(sys.argv[1], newline="", encoding="utf-8") as f:
                    print(json.dumps(list(csv.reader(f))))
                """
            let status = try await SpawnedProcess.run(
                ["/usr/bin/python3", "-c", script, input.path], environment: ["PATH": "/usr/bin:/bin"], logPath: output.path)
            let text = try Data(contentsOf: output)
            try #require(status == 0, "python3: \(String(decoding: text, as: UTF8.self))")
            return try #require(try JSONSerialization.jsonObject(with: text) as? [[String]])
        }

        /// The number of the last line of a raw input (the header is line 1; every line ends with LF).
        private static func lastLine(_ bytes: [UInt8]) -> Int {
            bytes.count(where: { $0 == 0x0A })
        }
    }
}
