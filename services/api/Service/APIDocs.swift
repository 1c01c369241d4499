import AdrecsConcurrency
public import AdrecsRuntime
import Foundation
import Hummingbird
import Logging

/// The interactive docs: `/` redirects to `/docs`, our own small page that runs Swagger UI on
/// `/openapi.json` ("Try it out" calls this same server).
///
/// Swagger UI's files come from the pinned, hash-checked `swagger-ui-py` wheel, unpacked by
/// `scripts/fetch-swagger-ui.sh` (the scripts and the image build) into the folder `API_DOCS_DIR`
/// names. They are read once at start (``init(directory:)``) and served from memory by exact name,
/// so a request never reaches the file system. Without them (the key unset, or the folder missing or
/// incomplete) `/docs` answers 404 `docs_not_installed` and every other route works as usual.
///
/// The page and its script are same-origin files (no inline script, no CDN), so the page carries a
/// strict `Content-Security-Policy`. Each file's URL in the page carries its content hash
/// (`?v=`), so the files are cached for a year (`immutable`); the page itself is revalidated
/// (`no-cache` with its `ETag`).
public struct APIDocs: Sendable {
    struct File: Sendable {
        let body: ByteBuffer
        let contentType: String
        let etag: String
    }

    /// The files under `/docs/` by name; empty when not installed.
    let files: [String: File]
    /// The page at `/docs`; nil when not installed.
    let page: File?

    /// No docs: `/docs` answers 404 `docs_not_installed`.
    public static let notInstalled = APIDocs(files: [:], page: nil)

    public var isInstalled: Bool { page != nil }

    /// Swagger UI's files read from the folder: the page needs the first two; the icon is optional.
    static let swaggerUIFiles: [(name: String, contentType: String, required: Bool)] = [
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8", true),
        ("swagger-ui.css", "text/css; charset=utf-8", true),
        ("favicon-32x32.png", "image/png", false),
    ]

    /// A file larger than this is not a Swagger UI file (the bundle is about 1.5 MB).
    static let maxFileBytes = 16 << 20

    /// The page's own script: Swagger UI on this server's document, without the external
    /// validator badge (it would load an image from another host).
    static let script = """
        "use strict";
        window.ui = SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          validatorUrl: null,
          presets: [SwaggerUIBundle.presets.apis],
          layout: "BaseLayout"
        });

        """

    /// Same-origin scripts, styles, fetches and images only; Swagger UI sets inline styles and uses
    /// `data:` images in its CSS.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

    /// Reads Swagger UI's files from `directory` (the value of `api.docs.dir`).
    /// - Throws: ``ConfigError`` naming the folder or the first required file that cannot be read.
    public init(directory: String) throws(ConfigError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigError(key: "api.docs.dir", message: "\(directory) is not a folder (run scripts/fetch-swagger-ui.sh)")
        }
        var files: [String: File] = [:]
        for (name, contentType, required) in Self.swaggerUIFiles {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(name).path
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
            guard let size, size <= Self.maxFileBytes, let data = FileManager.default.contents(atPath: path) else {
                guard required else { continue }
                throw ConfigError(key: "api.docs.dir", message: "\(path) is missing, unreadable or over 16 MiB (run scripts/fetch-swagger-ui.sh)")
            }
            files[name] = Self.file(ByteBuffer(bytes: data), contentType: contentType)
        }
        files["docs.js"] = Self.file(ByteBuffer(string: Self.script), contentType: "text/javascript; charset=utf-8")
        self.files = files
        self.page = Self.file(ByteBuffer(string: Self.html(files: files)), contentType: "text/html; charset=utf-8")
    }

    /// Swagger UI's files from `directory` (read off the cooperative pool), or ``APIDocs/notInstalled``
    /// with a warning saying why: the API serves without them.
    static func load(directory: String?, logger: Logger) async -> APIDocs {
        guard let directory else {
            logger.notice("Interactive docs not installed: API_DOCS_DIR is not set; /docs answers 404")
            return .notInstalled
        }
        do {
            let docs = try await BlockingExecutor.shared.run { try APIDocs(directory: directory) }
            logger.info("Interactive docs served at /docs", metadata: ["adrecs.docs.dir": "\(directory)"])
            return docs
        } catch {
            logger.warning("Interactive docs not installed; /docs answers 404", metadata: [LogKeys.error: "\(error)"])
            return .notInstalled
        }
    }

    private init(files: [String: File], page: File?) {
        self.files = files
        self.page = page
    }

    private static func file(_ body: ByteBuffer, contentType: String) -> File {
        File(body: body, contentType: contentType, etag: APIController.etag(of: body.readableBytesView))
    }

    /// The page: Swagger UI's stylesheet and bundle, then our script; every URL carries its file's hash.
    static func html(files: [String: File]) -> String {
        func url(_ name: String) -> String {
            "/docs/\(name)?v=\(files[name].map { $0.etag.dropFirst().prefix(16) } ?? "")"
        }
        let icon = files["favicon-32x32.png"] == nil
            ? "" : #"<link rel="icon" type="image/png" sizes="32x32" href="\#(url("favicon-32x32.png"))">"# + "\n"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>adrecs API</title>
            <link rel="stylesheet" href="\(url("swagger-ui.css"))">
            \(icon)</head>
            <body>
            <div id="swagger-ui"></div>
            <script src="\(url("swagger-ui-bundle.js"))"></script>
            <script src="\(url("docs.js"))"></script>
            </body>
            </html>

            """
    }

    /// `GET /` (a redirect to the page), `GET /docs` and `GET /docs/<file>`.
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(APIRoute.root.template)) { _, _ in
            Response(status: .found, headers: [.location: "/docs", .cacheControl: "no-cache"])
        }
        router.get(RouterPath(APIRoute.docs.templates[0])) { request, _ in try page(request) }
        router.get(RouterPath(APIRoute.docs.templates[1])) { request, context in
            try file(context.parameters.get("file") ?? "", request: request)
        }
    }

    func page(_ request: Request) throws(APIError) -> Response {
        guard let page else { throw .docsNotInstalled }
        return APIController.cached(page.body, contentType: page.contentType, etag: page.etag,
                                    cacheControl: "public, no-cache", request: request,
                                    headers: [.contentSecurityPolicy: Self.contentSecurityPolicy,
                                              .xContentTypeOptions: "nosniff"])
    }

    /// A file by its exact name (the raw path segment: no decoding, so no other path can match).
    func file(_ name: String, request: Request) throws(APIError) -> Response {
        guard isInstalled else { throw .docsNotInstalled }
        guard let file = files[name] else { throw .routeNotFound }
        return APIController.cached(file.body, contentType: file.contentType, etag: file.etag,
                                    cacheControl: "public, max-age=31536000, immutable", request: request,
                                    headers: [.xContentTypeOptions: "nosniff"])
    }
}
