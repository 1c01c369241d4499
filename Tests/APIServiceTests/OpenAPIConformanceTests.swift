import APIService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Every real response (success and error) validates against the schema the OpenAPI document
/// gives for its path, method and status.
@Suite struct OpenAPIConformanceTests {
    struct Case: Sendable, CustomStringConvertible {
        let uri: String
        let template: String
        let status: Int
        var description: String { uri }
    }

    static let cases: [Case] = [
        Case(uri: "/recommendations/adv1/TopCTR", template: "/recommendations/{advertiser}/{model}", status: 200),
        Case(uri: "/recommendations/adv1/top_product/", template: "/recommendations/{advertiser}/{model}", status: 200),
        Case(uri: "/recommendations/adv1/TopCTR?date=2025-11-04", template: "/recommendations/{advertiser}/{model}", status: 200),
        Case(uri: "/recommendations/adv_idle/TopCTR", template: "/recommendations/{advertiser}/{model}", status: 200),
        Case(uri: "/recommendations/adv1/Top", template: "/recommendations/{advertiser}/{model}", status: 400),
        Case(uri: "/recommendations/a%FF/TopCTR", template: "/recommendations/{advertiser}/{model}", status: 400),
        Case(uri: "/recommendations/p%222%09%5C/TopCTR", template: "/recommendations/{advertiser}/{model}", status: 404),
        Case(uri: "/recommendations/adv1/TopCTR?date=2025-13-01", template: "/recommendations/{advertiser}/{model}", status: 400),
        Case(uri: "/recommendations/nobody/TopCTR", template: "/recommendations/{advertiser}/{model}", status: 404),
        Case(uri: "/recommendations/adv1/TopCTR?date=2020-01-01", template: "/recommendations/{advertiser}/{model}", status: 404),
        Case(uri: "/history/adv2/", template: "/history/{advertiser}", status: 200),
        Case(uri: "/history/nobody", template: "/history/{advertiser}", status: 404),
        Case(uri: "/history/%2F", template: "/history/{advertiser}", status: 404),
        Case(uri: "/history/\(String(repeating: "x", count: 257))", template: "/history/{advertiser}", status: 400),
        Case(uri: "/stats/", template: "/stats", status: 200),
        Case(uri: "/health", template: "/health", status: 200),
        Case(uri: "/ready", template: "/ready", status: 200),
    ]

    private func document(_ client: some TestClientProtocol) async throws -> SchemaValidator {
        let response = try await client.execute(uri: "/openapi.json", method: .get)
        return SchemaValidator(document: try json(response.body))
    }

    private func schema(_ validator: SchemaValidator, template: String, status: Int) throws -> [String: Any] {
        let paths = try #require(validator.document["paths"] as? [String: Any])
        let operation = try #require((paths[template] as? [String: Any])?["get"] as? [String: Any], "\(template)")
        let responses = try #require(operation["responses"] as? [String: Any])
        let response = validator.resolve(try #require(responses[String(status)] as? [String: Any], "\(template) \(status)"))
        let content = try #require(response["content"] as? [String: Any])
        return try #require((content["application/json"] as? [String: Any])?["schema"] as? [String: Any])
    }

    @Test(arguments: cases)
    func responseMatchesTheDocument(_ testCase: Case) async throws {
        try await TestApp().application().test(.router) { client in
            let validator = try await document(client)
            let response = try await client.execute(uri: testCase.uri, method: .get)
            #expect(response.status.code == testCase.status)
            let problems = validator.validate(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)),
                try schema(validator, template: testCase.template, status: testCase.status))
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func notReadyMatchesTheDocument() async throws {
        try await TestApp(days: nil).application().test(.router) { client in
            let validator = try await document(client)
            for (uri, template) in [("/recommendations/adv1/TopCTR", "/recommendations/{advertiser}/{model}"),
                                    ("/history/adv1", "/history/{advertiser}"), ("/stats", "/stats"), ("/ready", "/ready")] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .serviceUnavailable)
                let problems = validator.validate(
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)),
                    try schema(validator, template: template, status: 503))
                #expect(problems.isEmpty, "\(problems)")
            }
        }
    }

    /// The validator itself rejects what the document forbids (so the tests above can fail).
    @Test func validatorRejectsViolations() async throws {
        try await TestApp().application().test(.router) { client in
            let validator = try await document(client)
            let recommendations = try schema(validator, template: "/recommendations/{advertiser}/{model}", status: 200)
            #expect(!validator.validate(["advertiser_id": "a", "model": "TopCTR", "date": "2025-11-08"], recommendations).isEmpty)
            #expect(!validator.validate(["advertiser_id": "a", "model": "Top", "date": "2025-11-08", "items": []],
                                        recommendations).isEmpty)
            let error = try schema(validator, template: "/history/{advertiser}", status: 404)
            #expect(!validator.validate(["error": ["code": "nope", "message": "x"]], error).isEmpty)
            #expect(!validator.validate(["error": ["code": "not_found", "message": "x", "extra": 1]], error).isEmpty)
            #expect(validator.validate(["error": ["code": "not_found", "message": "x"]], error).isEmpty)
        }
    }
}
