import AdrecsDomain
import AdrecsWire
import Foundation
import Testing

@Suite struct WireCodecTests {
    static let ingest = IngestCompleted(
        runID: "r-1", date: Day("2025-11-15")!, productViewsKey: "runs/2025-11-15/r-1/filtered/product_views.csv",
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

    /// The date is the domain `Day` in Swift and the same `YYYY-MM-DD` string on the wire; a
    /// message with a date that is not a calendar date does not decode.
    @Test func carriesTheDateAsText() throws {
        let text = String(decoding: WireCodec.encode(Self.ingest), as: UTF8.self)
        #expect(text.contains(#""date":"2025-11-15""#))
        let invalid = Array(text.replacingOccurrences(of: "2025-11-15\"", with: "2025-02-30\"").utf8)
        #expect(throws: WireError.malformed(type: "ingest.completed", reason: "date: not a calendar date YYYY-MM-DD: '2025-02-30'")) {
            try WireCodec.decode(IngestCompleted.self, from: invalid)
        }
    }

    @Test func rejectsUnknownVersion() {
        var future = Self.ingest
        future.version = 2
        #expect(throws: WireError.unsupportedVersion(type: "ingest.completed", version: 2, supported: 1)) {
            try WireCodec.decode(IngestCompleted.self, from: WireCodec.encode(future))
        }
    }

    @Test func rejectsAnotherMessageType() {
        let models = ModelsCompleted(runID: "r", date: Day("2025-11-15")!, recommendationsKey: "k", advertisersKey: "a", recommendationRows: 1, advertisers: 1)
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
