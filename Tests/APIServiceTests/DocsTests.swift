@testable import APIService
import AdrecsRuntime
import AdrecsTestSupport
import Configuration
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// `/` and `/docs`: the redirect, our page, Swagger UI's files from `API_DOCS_DIR` with their caching
/// headers, the clean 404 without them, and no way out of the file list. The files here are small
/// stand-ins written to a temporary folder; the real Swagger UI runs in scripts/test-browser.sh.
@Suite struct DocsTests {
    /// A temporary docs folder with stand-ins for Swagger UI's files, and a file beside it that
    /// no request may reach.
    final class Folder {
        let root: URL
        let docs: URL
        static let bundle = "window.SwaggerUIBundle = function () {}; /* bundle */"
        static let css = ".swagger-ui { color: black }"
        static let secret = "secret beside the docs folder"

        init(files: [String: String] = ["swagger-ui-bundle.js": bundle, "swagger-ui.css": css]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("adrecs-docs-\(UUID().uuidString)")
            docs = root.appendingPathComponent("swagger-ui")
            try FileManager.default.createDirectory(at: docs, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(text.utf8).write(to: docs.appendingPathComponent(name))
            }
            try Data(Self.secret.utf8).write(to: root.appendingPathComponent("secret.txt"))
            try Data(Self.secret.utf8).write(to: docs.appendingPathComponent("secret.txt"))
        }

        deinit { try? FileManager.default.removeItem(at: root) }
    }

    /// The `src`/`href` URLs of a page.
    static func links(_ html: String) -> [String] {
        html.split(separator: "\"").enumerated().compactMap { index, part in
            index % 2 == 1 && part.hasPrefix("/docs/") ? String(part) : nil
        }
    }

    @Test func rootRedirectsToTheDocs() async throws {
        try await TestApp().application().test(.router) { client in
            for method in [HTTPRequest.Method.get, .head] {
                let response = try await client.execute(uri: "/", method: method)
                #expect(response.status == .found, "\(method)")
                #expect(response.headers[.location] == "/docs", "\(method)")
            }
        }
    }

    @Test func thePageRunsSwaggerUIOnTheDocumentFromThisServer() async throws {
        let folder = try Folder()
        let app = TestApp(docs: try APIDocs(directory: folder.docs.path))
        try await app.application().test(.router) { client in
            for path in ["/docs", "/docs/"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.cacheControl] == "public, no-cache")
                #expect(response.headers[.eTag]?.hasPrefix("\"") == true)
                let csp = try #require(response.headers[.contentSecurityPolicy])
                #expect(csp.contains("script-src 'self'") && csp.contains("connect-src 'self'") && !csp.contains("unsafe-eval"))
                let html = String(buffer: response.body)
                #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("//cdn"), "no external URL")
                #expect(!html.contains("<script>"), "no inline script (the CSP forbids it)")
                let links = Self.links(html)
                #expect(links.contains { $0.hasPrefix("/docs/swagger-ui-bundle.js?v=") })
                #expect(links.contains { $0.hasPrefix("/docs/swagger-ui.css?v=") })
                #expect(links.contains { $0.hasPrefix("/docs/docs.js?v=") })
            }
            let script = String(buffer: try await client.execute(uri: "/docs/docs.js", method: .get).body)
            #expect(script.contains(#"url: "/openapi.json""#))
            #expect(script.contains("SwaggerUIBundle("))
            #expect(script.contains("validatorUrl: null"))
        }
    }

    @Test func filesAreServedWithTheirTypeAndCachedForAYear() async throws {
        let folder = try Folder()
        let app = TestApp(docs: try APIDocs(directory: folder.docs.path))
        try await app.application().test(.router) { client in
            let html = String(buffer: try await client.execute(uri: "/docs", method: .get).body)
            let expected = [
                "swagger-ui-bundle.js": ("text/javascript; charset=utf-8", Folder.bundle),
                "swagger-ui.css": ("text/css; charset=utf-8", Folder.css),
            ]
            for link in Self.links(html) {
                let response = try await client.execute(uri: link, method: .get)
                #expect(response.status == .ok, "\(link)")
                #expect(response.headers[.cacheControl] == "public, max-age=31536000, immutable", "\(link)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                let etag = try #require(response.headers[.eTag])
                #expect(link.hasSuffix("?v=" + etag.dropFirst().dropLast()), "the URL carries the file's hash: \(link)")
                let name = String(link.dropFirst("/docs/".count).prefix { $0 != "?" })
                if let file = expected[name] {
                    #expect(response.headers[.contentType] == file.0)
                    #expect(String(buffer: response.body) == file.1)
                }
                let revalidated = try await client.execute(uri: link, method: .get, headers: [.ifNoneMatch: etag])
                #expect(revalidated.status == .notModified, "\(link)")
                #expect(revalidated.body.readableBytes == 0)
                #expect(revalidated.headers[.eTag] == etag)
                let head = try await client.execute(uri: link, method: .head)
                #expect(head.status == .ok && head.body.readableBytes == 0)
            }
            let page = try await client.execute(uri: "/docs", method: .get)
            let etag = try #require(page.headers[.eTag])
            let again = try await client.execute(uri: "/docs", method: .get, headers: [.ifNoneMatch: "W/\(etag)"])
            #expect(again.status == .notModified)
            #expect(again.headers[.contentSecurityPolicy] != nil)
        }
    }

    @Test func aNewFileGetsANewURL() throws {
        let first = try Folder()
        let second = try Folder(files: ["swagger-ui-bundle.js": Folder.bundle + " ", "swagger-ui.css": Folder.css])
        let before = try APIDocs(directory: first.docs.path)
        let after = try APIDocs(directory: second.docs.path)
        let old = Self.links(String(buffer: try #require(before.page).body))
        let new = Self.links(String(buffer: try #require(after.page).body))
        #expect(old.filter { $0.contains("bundle") } != new.filter { $0.contains("bundle") })
        #expect(old.filter { $0.contains(".css") } == new.filter { $0.contains(".css") })
    }

    /// Whatever the segment, only the listed files answer; the files beside them stay unreachable.
    @Test(arguments: [
        "/docs/secret.txt", "/docs/../secret.txt", "/docs/..%2Fsecret.txt", "/docs/%2E%2E%2Fsecret.txt",
        "/docs/%2e%2e/secret.txt", "/docs/swagger-ui.css/../secret.txt", "/docs/..", "/docs/.", "/docs/%2F",
        "/docs//etc/passwd", "/docs/..%2F..%2F..%2Fetc%2Fpasswd", "/docs/swagger-ui.css%00.js", "/docs/.adrecs-lock",
        "/docs/SWAGGER-UI.CSS", "/docs/swagger-ui.css.map", "/docs/%73wagger-ui.css",
    ])
    func nothingOutsideTheFileListIsServed(path: String) async throws {
        let folder = try Folder()
        let app = TestApp(docs: try APIDocs(directory: folder.docs.path))
        try await app.application().test(.router) { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect(response.status == .notFound, "\(path)")
            #expect(errorCode(response.body) == "not_found", "\(path)")
            #expect(!String(buffer: response.body).contains(Folder.secret))
        }
    }

    @Test func withoutTheFilesDocsIsACleanNotFoundAndTheRestWorks() async throws {
        try await TestApp().application().test(.router) { client in
            for path in ["/docs", "/docs/", "/docs/swagger-ui-bundle.js", "/docs/docs.js"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(errorCode(response.body) == "docs_not_installed", "\(path)")
                let message = try #require((try json(response.body)["error"] as? [String: Any])?["message"] as? String)
                #expect(message.contains("/openapi.json"))
            }
            #expect(try await client.execute(uri: "/", method: .get).status == .found)
            #expect(try await client.execute(uri: "/stats/", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/openapi.json", method: .get).status == .ok)
        }
    }

    @Test func aMissingOrIncompleteFolderIsAConfigErrorNamingIt() async throws {
        let folder = try Folder(files: ["swagger-ui-bundle.js": Folder.bundle])
        let missing = folder.root.appendingPathComponent("nope").path
        let noFolder = #expect(throws: ConfigError.self) { try APIDocs(directory: missing) }
        #expect(noFolder?.key == "api.docs.dir")
        #expect(noFolder?.message.contains(missing) == true)
        let incomplete = #expect(throws: ConfigError.self) { try APIDocs(directory: folder.docs.path) }
        #expect(incomplete?.message.contains("swagger-ui.css") == true)
        // At start, the API logs why and serves without the docs.
        let logger = Logger(label: "adrecs.test.docs")
        #expect(await APIDocs.load(directory: missing, logger: logger).isInstalled == false)
        #expect(await APIDocs.load(directory: nil, logger: logger).isInstalled == false)
        let complete = try Folder()
        #expect(await APIDocs.load(directory: complete.docs.path, logger: logger).isInstalled)
    }

    @Test func theFolderComesFromAPIDocsDir() throws {
        #expect(try APIConfig(config: .inMemory(["api.docs.dir": "/usr/share/adrecs/swagger-ui"])).docsDirectory
            == "/usr/share/adrecs/swagger-ui")
        #expect(try APIConfig(config: .inMemory(["api.docs.dir": ""])).docsDirectory == nil)
        #expect(try APIConfig(config: .inMemory([:])).docsDirectory == nil)
    }

    @Test func docsRequestsHaveTheirOwnMetricLabels() async throws {
        let folder = try Folder()
        let app = TestApp(docs: try APIDocs(directory: folder.docs.path))
        try await app.application().test(.router) { client in
            _ = try await client.execute(uri: "/", method: .get)
            _ = try await client.execute(uri: "/docs", method: .get)
            _ = try await client.execute(uri: "/docs/swagger-ui.css", method: .get)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"adrecs_api_requests_total{route="root",status="302"} 1"#))
            #expect(metrics.contains(#"adrecs_api_requests_total{route="docs",status="200"} 2"#))
        }
    }
}
