import AdrecsDomain
import AdrecsHTTP
import Foundation
import Hummingbird
import Prometheus

/// The public endpoints, answered from the current ``Snapshot`` only (never from PostgreSQL).
struct APIController: Sendable {
    let store: SnapshotStore
    let metrics: APIMetrics
    let registry: PrometheusCollectorRegistry

    /// Hummingbird's router matches each path with and without a trailing slash. Any other method
    /// on one of these paths gets 405 (``APIRoute/matches(_:)``, used by ``APIMiddleware``).
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(APIRoute.recommendations.template)) { request, context in
            try recommendations(request, context)
        }
        router.get(RouterPath(APIRoute.history.template)) { request, context in try history(request, context) }
        router.get(RouterPath(APIRoute.stats.template)) { request, _ in try stats(request) }
        router.get(RouterPath(APIRoute.health.template)) { _, _ in HealthStatus.ok }
        router.get(RouterPath(APIRoute.ready.template)) { _, _ in try ready() }
        router.get(RouterPath(APIRoute.metrics.template)) { _, _ in prometheus() }
        router.get(RouterPath(APIRoute.openapi.template)) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                            .cacheControl: "public, max-age=3600"],
                     body: ResponseBody(byteBuffer: OpenAPIDocument.bytes))
        }
    }

    func recommendations(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let advertiser = try Self.advertiserID(context.parameters.get("advertiser") ?? "")
        let model = try Self.model(context.parameters.get("model") ?? "")
        let snapshot = try current()
        let dayIndex: Int
        if let text = request.uri.queryParameters.get("date") {
            guard let date = Day(text) else { throw APIError.invalidDate(text) }
            guard let index = snapshot.dayIndex[date] else {
                throw APIError.dateNotHeld(text, held: snapshot.days.map(\.date.description))
            }
            dayIndex = index
        } else {
            dayIndex = 0
        }
        guard let entry = snapshot.advertisers[ExactID(advertiser)] else { throw APIError.unknownAdvertiser(advertiser) }
        let body = dayIndex == 0
            ? entry.latest[model.index]
            : Snapshot.recommendationBody(advertiser: advertiser, model: model, date: snapshot.days[dayIndex].date,
                                          items: entry.items[dayIndex][model.index])
        return Self.json(body, etag: snapshot.etag, request: request)
    }

    func history(_ request: Request, _ context: BasicRequestContext) throws -> Response {
        let advertiser = try Self.advertiserID(context.parameters.get("advertiser") ?? "")
        let snapshot = try current()
        guard let entry = snapshot.advertisers[ExactID(advertiser)] else { throw APIError.unknownAdvertiser(advertiser) }
        return Self.json(entry.history, etag: snapshot.etag, request: request)
    }

    func stats(_ request: Request) throws -> Response {
        let snapshot = try current()
        return Self.json(snapshot.stats, etag: snapshot.etag, request: request)
    }

    func ready() throws -> Response {
        let snapshot = try current()
        var json = JSONBytes(capacity: 128)
        json.raw(#"{"status":"ready","latest_date":""#)
        json.buffer.writeString(snapshot.latest.date.description)
        json.raw(#"","run_id":"#)
        json.string(snapshot.latest.runID)
        json.raw(#","days":"#)
        json.int(snapshot.days.count)
        json.raw("}")
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8",
                                               .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: json.buffer))
    }

    func prometheus() -> Response {
        if let snapshot = store.snapshot {
            metrics.snapshotAge.set(to: Date().timeIntervalSince(snapshot.loadedAt))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16_384)
        registry.emit(into: &bytes)
        return Response(status: .ok, headers: [.contentType: OpsHTTP.prometheusContentType, .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func current() throws(APIError) -> Snapshot {
        guard let snapshot = store.snapshot else { throw APIError.notReady }
        return snapshot
    }

    /// The advertiser id of a path segment: percent-decoded (``pathText(_:)``) to text of 1 to
    /// ``AdrecsDomain/MalformedReason/maxIDBytes`` Unicode scalars: exactly the document's schema
    /// (`minLength` 1, `maxLength` 256; JSON Schema counts code points). Every id the pipeline
    /// holds (at most 256 UTF-8 bytes, so at most 256 scalars) passes; a longer one that passes
    /// is simply unknown (404).
    static func advertiserID(_ segment: String) throws(APIError) -> String {
        guard let text = pathText(segment), (1...MalformedReason.maxIDBytes).contains(text.unicodeScalars.count) else {
            throw APIError.invalidAdvertiserID(segment)
        }
        return text
    }

    /// A path segment percent-decoded (RFC 3986: `%XX` is one byte, any other byte stands for
    /// itself, `+` included); `nil` when an escape is not `%` and two hex digits or the bytes are
    /// not UTF-8.
    static func pathText(_ segment: String) -> String? {
        guard segment.utf8.contains(UInt8(ascii: "%")) else { return segment }
        func hex(_ byte: UInt8?) -> UInt8? {
            switch byte {
            case let byte? where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte): byte - UInt8(ascii: "0")
            case let byte? where (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte): byte - UInt8(ascii: "a") + 10
            case let byte? where (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(segment.utf8.count)
        var iterator = segment.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = hex(iterator.next()), let low = hex(iterator.next()) else { return nil }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// `TopCTR`/`TopProduct` in any ASCII case, with or without `_` after `Top`: exactly the
    /// document's pattern `^[Tt][Oo][Pp]_?([Cc][Tt][Rr]|[Pp][Rr][Oo][Dd][Uu][Cc][Tt])$`. Only ASCII
    /// letters are folded, so no other Unicode spelling is accepted.
    /// The segment is percent-decoded first, like every path segment.
    static func model(_ segment: String) throws(APIError) -> ModelKind {
        guard let text = pathText(segment) else { throw APIError.invalidModel(segment) }
        let folded = String(decoding: text.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch folded {
        case "topctr", "top_ctr": return .topCTR
        case "topproduct", "top_product": return .topProduct
        default: throw APIError.invalidModel(segment)
        }
    }

    /// 200 with `body`, or 304 when `If-None-Match` names the current ETag (or `*`).
    static func json(_ body: ByteBuffer, etag: String, request: Request) -> Response {
        cached(body, contentType: "application/json; charset=utf-8", etag: etag, cacheControl: "public, no-cache",
               request: request)
    }

    /// 200 with `body` and its validators, or 304 (validators only) when `If-None-Match` names
    /// `etag` (or `*`); `headers` are added to both.
    static func cached(
        _ body: ByteBuffer, contentType: String, etag: String, cacheControl: String, request: Request,
        headers extra: HTTPFields = [:]
    ) -> Response {
        if let header = request.headers[.ifNoneMatch], matches(header, etag: etag) {
            var headers: HTTPFields = [.eTag: etag, .cacheControl: cacheControl]
            headers.append(contentsOf: extra)
            return Response(status: .notModified, headers: headers)
        }
        var headers: HTTPFields = [.contentType: contentType, .eTag: etag, .cacheControl: cacheControl]
        if !extra.isEmpty { headers.append(contentsOf: extra) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
    }

    /// A strong ETag of `bytes`: FNV-1a, 64 bits, as 16 hex digits in quotes.
    static func etag(of bytes: some Sequence<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"" + String(repeating: "0", count: 16 - hex.count) + hex + "\""
    }

    /// Weak comparison per RFC 9110 §13.1.2: `W/` is ignored; a list or `*` is accepted.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            var tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }
}
