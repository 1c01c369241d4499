import AdrecsDomain
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The path parameters' schemas in /openapi.json describe exactly what the server accepts: a value
/// conforming to the documented schema is never rejected as invalid, and a value outside it always is
/// (the fuzz run's positive_data_acceptance and negative_data_rejection checks, scripts/test-fuzz.sh).
@Suite struct ParameterGrammarTests {
    /// Only these bytes stay unescaped in a path segment; everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static let models = [
        "TopCTR", "topctr", "TOPCTR", "top_ctr", "Top_Ctr", "TopProduct", "TOP_PRODUCT", "topProduct",
        "0", "Top", "TopCTRs", "top__ctr", "top-ctr", "_topctr", "TopCTR ", "ＴｏｐＣＴＲ", "TopCTR\u{0301}",
        "topctr\u{0000}", "TopProduc", "TopViews",
    ]

    static let advertisers = [
        "adv1", "a", String(repeating: "a", count: 64), String(repeating: "a", count: 256), String(repeating: "a", count: 257),
        String(repeating: "日", count: 256), String(repeating: "日", count: 257), String(repeating: "\u{1F600}", count: 256),
        "Zz_-9", "-", "_", "a.b", "a b", ".", "..", "é", "e\u{301}", "ＡＢ", "a/b", "a%b", "a+b", "adv1\u{0000}", "\u{00F2}\u{0031}",
        "p\"2", "a\\b", "\\.", "a\tb", " ", "a\nb",
    ]

    /// The schema of the path parameter `name` of the recommendations operation, `$ref`s resolved.
    private func parameterSchema(_ validator: SchemaValidator, _ name: String) throws -> [String: Any] {
        let paths = try #require(validator.document["paths"] as? [String: Any])
        let operation = try #require((paths["/recommendations/{advertiser}/{model}"] as? [String: Any])?["get"] as? [String: Any])
        let parameters = try #require(operation["parameters"] as? [[String: Any]]).map { validator.resolve($0) }
        let parameter = try #require(parameters.first { $0["name"] as? String == name })
        return validator.resolve(try #require(parameter["schema"] as? [String: Any]))
    }

    private func document(_ client: some TestClientProtocol) async throws -> SchemaValidator {
        SchemaValidator(document: try json(try await client.execute(uri: "/openapi.json", method: .get).body))
    }

    private static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// Whether `value` conforms to the documented schema of path parameter `name`, and the response
    /// to the recommendations path with `value` (percent-encoded as UTF-8) in place of that parameter.
    private func probe(_ name: String, _ value: String) async throws -> (documented: Bool, status: HTTPResponse.Status, code: String?) {
        try await TestApp().application().test(.router) { client in
            let validator = try await document(client)
            let schema = try parameterSchema(validator, name)
            let segment = Self.segment(value)
            let uri = name == "model" ? "/recommendations/adv1/\(segment)" : "/recommendations/\(segment)/TopCTR"
            let response = try await client.execute(uri: uri, method: .get)
            return (validator.validate(value, schema).isEmpty, response.status, errorCode(response.body))
        }
    }

    @Test(arguments: models)
    func modelPatternIsTheAcceptedGrammar(model: String) async throws {
        let (documented, status, code) = try await probe("model", model)
        #expect((status == .ok) == documented, "\(model): \(status), documented \(documented)")
        if !documented { #expect(code == "invalid_model") }
    }

    @Test(arguments: advertisers)
    func advertiserPatternIsTheAcceptedGrammar(advertiser: String) async throws {
        let (documented, status, code) = try await probe("advertiser", advertiser)
        if documented {
            #expect(status == .ok || code == "unknown_advertiser", "\(advertiser): \(status)")
        } else {
            #expect(status == .badRequest && code == "invalid_advertiser_id", "\(advertiser): \(status)")
        }
    }

    /// The advertiser's schema admits every id the pipeline can hold (1 to 256 UTF-8 bytes): JSON
    /// Schema counts code points, so its bound is in code points, and the server counts the same.
    @Test func advertiserSchemaAdmitsEveryHeldId() async throws {
        try await TestApp().application().test(.router) { client in
            let validator = try await document(client)
            let schema = try parameterSchema(validator, "advertiser")
            #expect(schema["minLength"] as? Int == 1 && schema["maxLength"] as? Int == MalformedReason.maxIDBytes)
            #expect(schema["pattern"] == nil)
            for id in ["a", String(repeating: "a", count: 256), String(repeating: "é", count: 128), String(repeating: "\u{1F600}", count: 64)] {
                #expect(id.utf8.count <= MalformedReason.maxIDBytes && validator.validate(id, schema).isEmpty)
            }
        }
    }

    @Test func dateParameterIsACalendarDate() async throws {
        try await TestApp().application().test(.router) { client in
            let validator = try await document(client)
            let schema = try parameterSchema(validator, "date")
            #expect(schema["format"] as? String == "date")
            #expect(validator.validate("2025-11-04", schema).isEmpty)
            #expect(!validator.validate("2025-1-04", schema).isEmpty)
        }
    }
}
