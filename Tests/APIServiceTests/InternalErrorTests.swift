import APIService
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct InternalErrorTests {
    struct Boom: Error {}

    @Test func unexpectedErrorsAre500WithARequestIDAndNoDetail() async throws {
        let app = TestApp()
        let router = buildAPIRouter(store: app.store, metrics: app.metrics, registry: app.registry)
        router.get("/boom") { _, _ -> String in throw Boom() }
        let application = Application(router: router, logger: TestApp.logger)
        try await application.test(.router) { client in
            let response = try await client.execute(uri: "/boom", method: .get)
            #expect(response.status == .internalServerError)
            #expect(errorCode(response.body) == "internal_error")
            let requestID = try #require(response.headers[.init("X-Request-Id")!])
            #expect(requestID.count == 16)
            #expect(!String(buffer: response.body).contains("Boom"))
            let second = try await client.execute(uri: "/boom", method: .get)
            #expect(second.headers[.init("X-Request-Id")!] != requestID)
        }
    }
}
