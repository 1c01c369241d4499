import AdrecsDatabase
import AdrecsDomain
import AdrecsTestSupport
import Foundation
import Testing

extension ChainSuites {
    /// The public API on what the real writer committed: the latest date, `?date=`, the last
    /// 7 days, and a day committed while it runs.
    @Suite("Chain: the API on committed days", .timeLimit(.minutes(5)))
    struct ChainAPITests {
        struct Item: Decodable, Equatable {
            var rank: Int
            var product_id: String
            var views: Int?
            var impressions: Int?
            var clicks: Int?
            var ctr: Double?
        }

        struct Recommendations: Decodable {
            var advertiser_id: String
            var model: String
            var date: String
            var items: [Item]
        }

        struct History: Decodable {
            struct Day: Decodable { var date: String }
            var days: [Day]
        }

        static func items(_ rows: [Recommendation]) -> [Item] {
            rows.map { Item(rank: $0.rank, product_id: $0.productId, views: $0.views, impressions: $0.impressions, clicks: $0.clicks, ctr: $0.ctr) }
        }

        static func get<Body: Decodable>(_ chain: Chain, _ path: String, as: Body.Type) async throws -> Body {
            let response = try await chain.http(.api, path)
            try #require(response.status == 200, "\(path): \(response.status) \(response.text)")
            return try JSONDecoder().decode(Body.self, from: Data(response.body))
        }

        @Test func servesExpectedRowsHistoryAndANewDayWithinTwoSeconds() async throws {
            let folder = "course-2025"
            let expected = try CourseData.expected(folder)
            let days = Array(Array(Set(expected.map(\.day))).sorted().suffix(9))
            let chain = try await Chain("api")
            do {
                try await chain.startAll()
                try await chain.uploadRaw(folder)
                for day in days.dropLast() {
                    let run = try await chain.waitForRun(try await chain.kick(day))
                    try #require(run.state == .succeeded, "\(day): \(run.error ?? "")")
                }
                try await chain.start(.api, ["API_RELOAD_SECONDS": "300"])

                // The latest committed date, for every advertiser and both models, equals expected.csv.
                let latest = days[days.count - 2]
                for (key, rows) in Dictionary(grouping: expected.filter { $0.day == latest }, by: { "\($0.advertiserId)/\($0.model.rawValue)" }) {
                    let body = try await Self.get(chain, "/recommendations/\(key)", as: Recommendations.self)
                    #expect(body.date == latest.description && "\(body.advertiser_id)/\(body.model)" == key)
                    #expect(body.items.count == rows.count && zip(body.items, Self.items(rows)).allSatisfy { a, e in
                        a.rank == e.rank && a.product_id == e.product_id && a.views == e.views && a.impressions == e.impressions
                            && a.clicks == e.clicks && abs((a.ctr ?? 0) - (e.ctr ?? 0)) <= 1e-12
                    }, "\(key) on \(latest)")
                }
                // A past date still held, through ?date=.
                let past = days[2]
                let advertiser = try #require(expected.first { $0.day == past }?.advertiserId)
                let pastBody = try await Self.get(chain, "/recommendations/\(advertiser)/top_product?date=\(past)", as: Recommendations.self)
                let pastRows = expected.filter { $0.day == past && $0.advertiserId == advertiser && $0.model == .topProduct }
                #expect(pastBody.model == "TopProduct" && pastBody.date == past.description)
                #expect(pastBody.items == Self.items(pastRows))
                // History: exactly the 7 days ending at the latest date, newest first.
                let history = try await Self.get(chain, "/history/\(advertiser)/", as: History.self)
                #expect(history.days.map(\.date) == days.dropLast().suffix(7).reversed().map(\.description))

                // A day committed while the API runs is served within 2 s of its commit.
                let newest = try #require(days.last)
                let run = try await chain.waitForRun(try await chain.kick(newest))
                try #require(run.state == .succeeded)
                let committed = ContinuousClock.now
                var served = false
                while !served && ContinuousClock.now - committed < .seconds(5) {
                    let body = try await Self.get(chain, "/recommendations/\(advertiser)/TopCTR", as: Recommendations.self)
                    served = body.date == newest.description
                    if !served { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(served && ContinuousClock.now - committed < .seconds(2), "served \(served) after \(ContinuousClock.now - committed)")
            } catch {
                await chain.tearDown()
                throw error
            }
            await chain.tearDown()
        }
    }
}
