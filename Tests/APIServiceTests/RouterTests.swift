import AdrecsRuntime
import APIService
import AdrecsDomain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct RouterTests {
    let app = TestApp()

    @Test(arguments: [
        ("TopCTR", "TopCTR"), ("topctr", "TopCTR"), ("TOPCTR", "TopCTR"), ("top_ctr", "TopCTR"), ("Top_CTR", "TopCTR"),
        ("TopProduct", "TopProduct"), ("topproduct", "TopProduct"), ("top_product", "TopProduct"),
    ])
    func recommendationsNameTheCanonicalModel(model: String, canonical: String) async throws {
        try await app.application().test(.router) { client in
            for path in ["/recommendations/adv2/\(model)", "/recommendations/adv2/\(model)/"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let body = try json(response.body)
                #expect(body["advertiser_id"] as? String == "adv2")
                #expect(body["model"] as? String == canonical)
                #expect(body["date"] as? String == "2025-11-08")
                let items = try #require(body["items"] as? [[String: Any]])
                #expect(items.map { $0["rank"] as? Int } == [1, 2, 3])
            }
        }
    }

    @Test func recommendationItemsCarryTheModelsMetrics() async throws {
        try await app.application().test(.router) { client in
            let ctr = try json(try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get).body)
            let ctrItems = try #require(ctr["items"] as? [[String: Any]])
            #expect(ctrItems[0]["product_id"] as? String == "c1")
            #expect(ctrItems[0]["impressions"] as? Int == 1000)
            #expect(ctrItems[0]["clicks"] as? Int == 30)
            #expect(ctrItems[0]["ctr"] as? Double == 0.03)
            #expect(ctrItems[0]["views"] == nil)
            let product = try json(try await client.execute(uri: "/recommendations/adv1/TopProduct", method: .get).body)
            let productItems = try #require(product["items"] as? [[String: Any]])
            #expect(productItems.map { $0["product_id"] as? String } == ["p9", "p10", "p11"])
            #expect(productItems.map { $0["views"] as? Int } == [99, 98, 97])
            #expect(productItems[0]["ctr"] == nil)
        }
    }

    @Test func pastDateIsServedWhileHeld() async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/recommendations/adv1/top_product?date=2025-11-03", method: .get)
            #expect(response.status == .ok)
            let body = try json(response.body)
            #expect(body["date"] as? String == "2025-11-03")
            #expect(body["model"] as? String == "TopProduct")
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(items.map { $0["product_id"] as? String } == ["p4", "p5", "p6"])
        }
    }

    @Test(arguments: [
        ("2025-11-01", 404, "date_not_found"), // committed, but outside the 7 days ending at the latest
        ("2024-01-01", 404, "date_not_found"),
        ("2025-02-30", 400, "invalid_date"),
        ("yesterday", 400, "invalid_date"),
        ("", 400, "invalid_date"),
    ])
    func datesNotHeldOrInvalid(date: String, status: Int, code: String) async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/recommendations/adv1/TopCTR?date=\(date)", method: .get)
            #expect(response.status.code == status)
            #expect(errorCode(response.body) == code)
        }
    }

    @Test func unknownModelNamesTheValidOnes() async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/recommendations/adv1/TopViews", method: .get)
            #expect(response.status == .badRequest)
            #expect(errorCode(response.body) == "invalid_model")
            let message = try #require((try json(response.body)["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("TopCTR") && message.contains("TopProduct"))
        }
    }

    /// Malformed escapes, bytes that are not UTF-8 (invalid, truncated, overlong, surrogate) and ids
    /// of more than 256 code points: outside the document's schema.
    @Test(arguments: [
        "/recommendations/\(String(repeating: "a", count: 257))/TopCTR",
        "/recommendations/\(String(repeating: "%E6%97%A5", count: 257))/TopCTR",
        "/recommendations/%FF/TopCTR",
        "/recommendations/a%C3/TopCTR",
        "/recommendations/%C0%80/TopCTR",
        "/recommendations/%ED%A0%80/TopCTR",
        "/recommendations/a%G1/TopCTR",
        "/recommendations/a%4/TopCTR",
        "/recommendations/%/TopCTR",
        "/history/%FF",
        "/history/%E6%97/",
        "/history/\(String(repeating: "b", count: 257))/",
    ])
    func invalidAdvertiserIDsAre400(path: String) async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .badRequest, "\(path)")
            #expect(errorCode(response.body) == "invalid_advertiser_id", "\(path)")
        }
    }

    @Test(arguments: [
        "/recommendations/../x/TopCTR",
        "/recommendations/../../etc/passwd",
        "/recommendations/adv1",
        "/recommendations/adv1/TopCTR/extra",
        "/history/adv1/TopCTR",
        "/history",
        "/nope",
        "/",
        "/stats/extra",
        "/%2E%2E/%2E%2E/etc/passwd",
    ])
    func unknownRoutesAre404JSON(path: String) async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .notFound, "\(path)")
            #expect(errorCode(response.body) == "not_found", "\(path)")
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        }
    }

    /// Found by the fuzz run (scripts/test-fuzz.sh, ST204): other methods on a known path got 404.
    @Test(arguments: [HTTPRequest.Method.post, .put, .delete, .patch, .options, .trace, .init("QUERY")!, .init("FOO")!])
    func otherMethodsAre405WithAllow(method: HTTPRequest.Method) async throws {
        try await app.application().test(.router) { client in
            for path in ["/recommendations/adv1/TopCTR", "/recommendations/a.b/Nope/", "/history/adv1/", "/stats",
                         "/health", "/ready", "/metrics", "/openapi.json"] {
                let response = try await client.execute(uri: path, method: method)
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == "GET, HEAD", "\(method) \(path)")
                #expect(errorCode(response.body) == "method_not_allowed", "\(method) \(path)")
            }
            let unknown = try await client.execute(uri: "/nope", method: method)
            #expect(unknown.status == .notFound)
            #expect(errorCode(unknown.body) == "not_found")
        }
    }

    @Test func headAnswersLikeGetWithoutABody() async throws {
        try await app.application().test(.router) { client in
            let get = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get)
            let head = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .head)
            #expect(head.status == .ok)
            #expect(head.headers[.eTag] == get.headers[.eTag])
            #expect(head.body.readableBytes == 0)
        }
    }

    /// Valid by the document (1 to 256 code points once percent-decoded) but not held: 404.
    @Test(arguments: [
        String(repeating: "Z", count: 256), String(repeating: "%E6%97%A5", count: 256), "adv.1", "%2E%2E", "..%2Fx", "adv%201",
        "adv%00", "%C3%A9t%C3%A9", "adv1%2F..%2Fadv2", "a+b", "%22", "adv1%09",
    ])
    func validUnknownIDsAre404(segment: String) async throws {
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: "/recommendations/\(segment)/TopCTR", method: .get)
            #expect(response.status == .notFound, "\(segment)")
            #expect(errorCode(response.body) == "unknown_advertiser", "\(segment)")
            let history = try await client.execute(uri: "/history/\(segment)/", method: .get)
            #expect(history.status == .notFound, "\(segment)")
            #expect(errorCode(history.body) == "unknown_advertiser", "\(segment)")
        }
    }

    /// Every id the parser accepts is served, percent-encoded in the path, with the exact id (and
    /// product ids) in valid JSON.
    @Test func awkwardIdsAreServedExactly() async throws {
        let ids = ["p\"2", "a\\b", "\\.", "a\tb", " lead", "a b", "a/b", "a\rb", "café", "cafe\u{301}", "日本", "\u{1}\u{7F}",
                   "%41", "a+b", "..", String(repeating: "日", count: 85)]
        let date = Day("2025-11-08")!
        let rows = ids.flatMap { id in
            [Recommendation(day: date, advertiserId: id, model: .topProduct, rank: 1, productId: id + "\"\\\t\u{0}", views: 3),
             Recommendation(day: date, advertiserId: id, model: .topCTR, rank: 1, productId: "\\." + id, impressions: 2, clicks: 1,
                            ctr: 0.5)]
        }
        let day = SnapshotDay(
            stamp: DayStamp(date: date, runID: "2025-11-08T040000-00000001", committedAt: "2025-11-08T04:10:00.000Z"),
            recommendations: rows, activeAdvertisers: ids)
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        try await TestApp(days: [day]).application().test(.router) { client in
            for id in ids {
                let segment = try #require(id.addingPercentEncoding(withAllowedCharacters: unreserved))
                for model in ModelKind.allCases {
                    let response = try await client.execute(uri: "/recommendations/\(segment)/\(model.rawValue)", method: .get)
                    #expect(response.status == .ok, "\(id.debugDescription) \(model)")
                    let body = try json(response.body)
                    #expect((body["advertiser_id"] as? String).map { Array($0.utf8) } == Array(id.utf8), "\(id.debugDescription)")
                    let items = try #require(body["items"] as? [[String: Any]])
                    let expected = rows.first { Array($0.advertiserId.utf8) == Array(id.utf8) && $0.model == model }?.productId
                    #expect(items.count == 1 && (items.first?["product_id"] as? String).map { Array($0.utf8) } == expected.map { Array($0.utf8) })
                }
                let history = try await client.execute(uri: "/history/\(segment)/", method: .get)
                #expect(history.status == .ok, "\(id.debugDescription)")
                #expect((try json(history.body)["advertiser_id"] as? String).map { Array($0.utf8) } == Array(id.utf8))
            }
        }
    }

    @Test func knownAdvertiserWithoutAListGetsEmptyItems() async throws {
        try await app.application().test(.router) { client in
            for model in ["TopCTR", "TopProduct"] {
                let response = try await client.execute(uri: "/recommendations/\(Fixtures.idle)/\(model)", method: .get)
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["model"] as? String == model)
                #expect((body["items"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func historyHoldsSevenDaysNewestFirstWithBothModels() async throws {
        try await app.application().test(.router) { client in
            for path in ["/history/adv3/", "/history/adv3"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["advertiser_id"] as? String == "adv3")
                let days = try #require(body["days"] as? [[String: Any]])
                #expect(days.map { $0["date"] as? String } == (2...8).reversed().map { String(format: "2025-11-%02d", $0) })
                for (offset, day) in days.enumerated() {
                    let models = try #require(day["models"] as? [String: [[String: Any]]])
                    #expect(models["TopCTR"]?.map { $0["product_id"] as? String } == ["c1", "c2", "c3"])
                    let n = 8 - offset
                    #expect(models["TopProduct"]?.map { $0["product_id"] as? String } == ["p\(n + 1)", "p\(n + 2)", "p\(n + 3)"])
                    #expect((day["run_id"] as? String)?.hasPrefix(day["date"] as? String ?? "?") == true)
                }
            }
        }
    }

    @Test func statsSummarizeTheLatestDay() async throws {
        try await app.application().test(.router) { client in
            for path in ["/stats", "/stats/"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["active_advertisers"] as? Int == 4)
                #expect(body["advertisers_with_recommendations"] as? Int == 3)
                #expect((body["dates"] as? [String])?.count == 7)
                let models = try #require(body["models"] as? [String: [String: Int]])
                #expect(models["TopCTR"] == ["rows": 9, "advertisers": 3])
                #expect(models["TopProduct"] == ["rows": 9, "advertisers": 3])
                let agreement = try #require(body["agreement"] as? [String: Any])
                #expect(agreement["advertisers"] as? Int == 3)
                #expect(agreement["mean"] as? Double == 0) // c* and p* never overlap
                let churn = try #require(body["churn"] as? [String: Any])
                #expect(churn["from"] as? String == "2025-11-07")
                #expect(churn["to"] as? String == "2025-11-08")
                let changed = try #require(churn["most_changed"] as? [String: [[String: Any]]])
                // TopProduct shifts by one product a day: 1 of 3 items is new; TopCTR never changes.
                let third: Double = 1.0 / 3
                let values: [Double?] = changed["TopProduct"]?.map { $0["value"] as? Double } ?? []
                #expect(values == [third, third, third])
                #expect(changed["TopProduct"]?.map { $0["advertiser_id"] as? String } == ["adv1", "adv2", "adv3"])
                #expect(changed["TopCTR"]?.allSatisfy { $0["value"] as? Double == 0 } == true)
                let freshness = try #require(body["freshness"] as? [String: Any])
                #expect(freshness["latest_date"] as? String == "2025-11-08")
                #expect(freshness["run_id"] as? String == "2025-11-08T040000-00000008")
            }
        }
    }

    @Test func etagAndIfNoneMatch() async throws {
        try await app.application().test(.router) { client in
            let first = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get)
            let etag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] != nil)
            let again = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get,
                                                 headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)
            #expect(again.headers[.eTag] == etag)
            let listed = try await client.execute(uri: "/history/adv1", method: .get,
                                                  headers: [.ifNoneMatch: "\"other\", W/\(etag)"])
            #expect(listed.status == .notModified)
            let stale = try await client.execute(uri: "/stats", method: .get, headers: [.ifNoneMatch: "\"stale\""])
            #expect(stale.status == .ok)

            // A new committed day changes the ETag; the old one no longer matches.
            app.store.replace(with: try #require(Snapshot.build(days: Fixtures.days(count: 8, lastDayOfMonth: 9))))
            let after = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get,
                                                 headers: [.ifNoneMatch: etag])
            #expect(after.status == .ok)
            #expect(after.headers[.eTag] != etag)
            #expect(try json(after.body)["date"] as? String == "2025-11-09")
        }
    }

    @Test func healthReadyAndOpenAPI() async throws {
        try await app.application().test(.router) { client in
            for path in ["/health", "/health/"] {
                let health = try await client.execute(uri: path, method: .get)
                #expect(health.status == .ok)
                #expect(try JSONDecoder().decode([String: String].self, from: Data(String(buffer: health.body).utf8))
                == ["status": "ok", "version": BuildInfo.current.version, "commit": BuildInfo.current.commit])
            }
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(try json(ready.body)["latest_date"] as? String == "2025-11-08")
            #expect(try json(ready.body)["days"] as? Int == 7)
            let openapi = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(openapi.status == .ok)
            let document = try json(openapi.body)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(Set(paths.keys) == ["/recommendations/{advertiser}/{model}", "/history/{advertiser}", "/stats",
                                        "/health", "/ready", "/metrics", "/openapi.json"])
        }
    }

    @Test func noSnapshotYetIs503WithRetryAfter() async throws {
        let empty = TestApp(days: nil)
        try await empty.application().test(.router) { client in
            for path in ["/recommendations/adv1/TopCTR", "/history/adv1/", "/stats/", "/ready"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .serviceUnavailable, "\(path)")
                #expect(errorCode(response.body) == "not_ready")
                #expect(response.headers[.retryAfter] == "5")
            }
            // Validation still comes first; liveness does not depend on data.
            #expect(try await client.execute(uri: "/recommendations/adv1/TopX", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
        }
    }

    @Test func metricsCountRequestsPerRouteAndStatus() async throws {
        try await app.application().test(.router) { client in
            for _ in 0..<3 { _ = try await client.execute(uri: "/recommendations/adv1/TopCTR", method: .get) }
            _ = try await client.execute(uri: "/recommendations/adv1/Nope", method: .get)
            _ = try await client.execute(uri: "/nowhere", method: .get)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            let lines = Set(String(buffer: response.body).split(separator: "\n").map(String.init))
            #expect(lines.contains(#"adrecs_api_requests_total{route="recommendations",status="200"} 3"#))
            #expect(lines.contains(#"adrecs_api_requests_total{route="recommendations",status="400"} 1"#))
            #expect(lines.contains(#"adrecs_api_requests_total{route="unknown",status="404"} 1"#))
            #expect(lines.contains(#"adrecs_api_request_duration_seconds_count{route="recommendations",status="200"} 3"#))
            #expect(lines.contains { $0.hasPrefix("adrecs_api_snapshot_age_seconds ") })
        }
    }
}
