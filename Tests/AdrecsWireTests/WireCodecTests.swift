import AdrecsWire
import Testing

@Suite struct WireCodecTests {
    static let ingest = IngestCompleted(
        runID: "r-1", date: "2025-11-15", productViewsKey: "runs/2025-11-15/r-1/filtered/product_views.csv",
        adsViewsKey: "runs/2025-11-15/r-1/filtered/ads_views.csv", advertisersKey: "runs/2025-11-15/r-1/filtered/advertiser_ids.csv",
        manifestKey: "runs/2025-11-15/r-1/ingest/manifest.json", productViewRows: 2400, adsViewRows: 2380
    )

    @Test func roundTripsWithTypeAndVersion() throws {
        let bytes = WireCodec.encode(Self.ingest)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""type":"ingest.completed""#))
        #expect(text.contains(#""version":1"#))
        #expect(try WireCodec.decode(IngestCompleted.self, from: bytes) == Self.ingest)
    }

    @Test func rejectsUnknownVersion() {
        var future = Self.ingest
        future.version = 2
        #expect(throws: WireError.unsupportedVersion(type: "ingest.completed", version: 2, supported: 1)) {
            try WireCodec.decode(IngestCompleted.self, from: WireCodec.encode(future))
        }
    }

    @Test func rejectsAnotherMessageType() {
        let models = ModelsCompleted(runID: "r", date: "2025-11-15", recommendationsKey: "k", advertisersKey: "a", recommendationRows: 1, advertisers: 1)
        #expect(throws: WireError.unexpectedType(expected: "ingest.completed", actual: "models.completed")) {
            try WireCodec.decode(IngestCompleted.self, from: WireCodec.encode(models))
        }
    }

    @Test(arguments: [
        ("not json", WireError.malformed(type: "ingest.completed", reason: "not a JSON object")),
        (#"{"version":1}"#, .malformed(type: "ingest.completed", reason: "no type")),
        (#"{"type":"ingest.completed"}"#, .malformed(type: "ingest.completed", reason: "no version")),
        (#"{"type":"ingest.completed","version":1,"runID":"r"}"#, .malformed(type: "ingest.completed", reason: "missing field date")),
    ])
    func rejectsMalformed(text: String, expected: WireError) {
        #expect(throws: expected) { try WireCodec.decode(IngestCompleted.self, from: Array(text.utf8)) }
    }
}
