public import AdrecsDomain
public import AdrecsStorage
import Foundation
import S3Store
import Zstd

/// The ingest work of one run: reads the three raw inputs of a day from S3, parses and filters
/// them with the domain's parser, and streams to S3 the filtered rows (one zstd frame per log),
/// the active advertisers, one quarantine object per input and, last, the manifest.
///
/// Memory stays bounded whatever the input size: inputs are read as streams, and outputs leave
/// through bounded ``ChunkPipe``s into streamed (multipart) uploads.
public struct IngestJob: Sendable {
    /// Output is handed to an upload in chunks of about this size.
    static let flushBytes = 1 << 20
    /// Parts of one streamed upload sent at once, so the server works on the next part while a
    /// part's answer comes back; with the two logs, four requests at most. Memory:
    /// (`partsInFlight` + 1) parts per log.
    static let partsInFlight = 2
    /// zstd level of the filtered logs: its fastest standard level, about 5× smaller than the CSV.
    static let compressionLevel: Int32 = 1

    /// `S3Client` in the service, `InMemoryObjectStore` in unit tests.
    public let store: any ObjectStore
    public let bucket: String
    public let layout: RawInputLayout

    public init(store: any ObjectStore, bucket: String, layout: RawInputLayout) {
        self.store = store
        self.bucket = bucket
        self.layout = layout
    }

    /// Runs the ingest of `date` for run `runID`. Errors are `S3Error`s and `StorageError`s
    /// (use ``IngestError/from(_:)`` to describe them).
    public func run(runID: String, date: Day) async throws -> IngestResult {
        let keys = RunKeys(date: date, runID: runID)
        let advertisersRaw = try await layout.resolve(.advertiserIds, for: date, store: store, bucket: bucket)
        let productViewsRaw = try await layout.resolve(.productViews, for: date, store: store, bucket: bucket)
        let adsViewsRaw = try await layout.resolve(.adsViews, for: date, store: store, bucket: bucket)

        let advertisers = try await readAdvertisers(key: advertisersRaw.key, keys: keys)
        let filter = DayFilter(day: date, active: advertisers.active)
        async let productViews = filterLog(.productViews, key: productViewsRaw.key, keys: keys, filter: filter)
        async let adsViews = filterLog(.adsViews, key: adsViewsRaw.key, keys: keys, filter: filter)
        let (product, ads) = try await (productViews, adsViews)

        let statistics = RunStatistics(
            day: date, advertiserIds: advertisers.active.statistics, productViews: product.statistics,
            adsViews: ads.statistics, anomalies: AnomalyStatistics(), shortLists: ShortLists()
        )
        var written: [String: String] = [
            "advertisers": keys.ingestAdvertisers,
            "product_views": keys.ingestProductViews,
            "ads_views": keys.ingestAdsViews,
        ]
        for input in RawInput.allCases { written["quarantine_\(input.name)"] = keys.ingestQuarantine(input) }
        let manifest = IngestManifest(
            runID: runID, date: date,
            rawKeys: [
                RawInput.advertiserIds.name: advertisersRaw.key,
                RawInput.productViews.name: productViewsRaw.key,
                RawInput.adsViews.name: adsViewsRaw.key,
            ],
            keys: written, statistics: statistics
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let manifestBytes = Array(try encoder.encode(manifest))
        try await store.putObject(bucket: bucket, key: keys.ingestManifest, bytes: manifestBytes, contentType: "application/json")
        return IngestResult(
            keys: keys, manifest: manifest,
            quarantined: [.advertiserIds: advertisers.quarantined, .productViews: product.quarantined, .adsViews: ads.quarantined],
            bytesRead: Int(advertisersRaw.size + productViewsRaw.size + adsViewsRaw.size),
            bytesWritten: advertisers.bytesWritten + product.bytesWritten + ads.bytesWritten + manifestBytes.count
        )
    }

    // MARK: - advertiser_ids

    private struct AdvertisersOutcome {
        var active: ActiveAdvertisers
        var quarantined: Int
        var bytesWritten: Int
    }

    /// Parses `advertiser_ids`, writes the active ids and the quarantine of malformed lines
    /// (``ActiveAdvertisersParser/malformedReason(_:)``).
    private func readAdvertisers(key: String, keys: RunKeys) async throws -> AdvertisersOutcome {
        var parser = ActiveAdvertisersParser()
        var splitter = LineSplitter()
        var quarantine = Array(Self.quarantineHeader.utf8)
        var quarantined = 0
        func check(_ line: UnsafeRawBufferPointer, _ number: Int) {
            guard number > 1, let reason = ActiveAdvertisersParser.malformedReason(line) else { return }
            quarantined += 1
            Self.appendQuarantine(&quarantine, number: number, reason: reason, line: line)
        }
        for try await chunk in store.objectChunks(bucket: bucket, key: key) {
            parser.feed(chunk)
            splitter.feed(chunk, check)
        }
        splitter.finish(check)
        let active = parser.finish()
        var output = Array("advertiser_id\n".utf8)
        for id in active.ids {
            output.append(contentsOf: id.utf8)
            output.append(UInt8(ascii: "\n"))
        }
        try await store.putObject(bucket: bucket, key: keys.ingestAdvertisers, bytes: output, contentType: "text/csv")
        try await store.putObject(
            bucket: bucket, key: keys.ingestQuarantine(.advertiserIds), bytes: quarantine, contentType: "text/csv")
        return AdvertisersOutcome(active: active, quarantined: quarantined, bytesWritten: output.count + quarantine.count)
    }

    // MARK: - product_views, ads_views

    private struct LogOutcome: Sendable {
        var statistics: LogStatistics
        var quarantined: Int
        var bytesWritten: Int
    }

    static let quarantineHeader = "line_number,reason,line\n"

    private static func appendQuarantine(_ output: inout [UInt8], number: Int, reason: MalformedReason, line: UnsafeRawBufferPointer) {
        output.append(contentsOf: "\(number),\(reason.rawValue),".utf8)
        output.append(contentsOf: line)
        output.append(UInt8(ascii: "\n"))
    }

    /// Streams one log through the parser and `filter`, and its kept rows and malformed lines into two uploads.
    private func filterLog(_ kind: LogKind, key: String, keys: RunKeys, filter: DayFilter) async throws -> LogOutcome {
        let input: RawInput = kind == .productViews ? .productViews : .adsViews
        let keptPipe = ChunkPipe()
        let quarantinePipe = ChunkPipe()
        return try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask { try await self.upload(keptPipe, key: keys.ingestOutput(input), contentType: RunKeys.zstdContentType) }
            group.addTask { try await self.upload(quarantinePipe, key: keys.ingestQuarantine(input), contentType: "text/csv") }
            var outcome: LogOutcome
            do {
                outcome = try await scan(kind, key: key, filter: filter, kept: keptPipe, quarantine: quarantinePipe)
                keptPipe.finish()
                quarantinePipe.finish()
            } catch {
                keptPipe.finish(throwing: error)
                quarantinePipe.finish(throwing: error)
                // A closed pipe means an upload failed: report the upload's error.
                if error is ChunkPipe.Closed { try await group.waitForAll() }
                throw error
            }
            outcome.bytesWritten = 0
            for try await size in group { outcome.bytesWritten += size }
            return outcome
        }
    }

    /// Uploads what arrives in `pipe`; on failure, closes the pipe so its producer stops.
    private func upload(_ pipe: ChunkPipe, key: String, contentType: String) async throws -> Int {
        do {
            let result = try await store.putObject(
                bucket: bucket, key: key, chunks: pipe, contentType: contentType, partsInFlight: Self.partsInFlight)
            return Int(result.size)
        } catch {
            pipe.cancel()
            throw error
        }
    }

    private func scan(
        _ kind: LogKind, key: String, filter: DayFilter, kept keptPipe: ChunkPipe, quarantine quarantinePipe: ChunkPipe
    ) async throws -> LogOutcome {
        let parser = LogLineParser(kind: kind)
        var splitter = LineSplitter()
        var statistics = LogStatistics()
        var malformed = [Int](repeating: 0, count: MalformedReason.allCases.count)
        var kept = Array((kind.header + "\n").utf8)
        var quarantine = Array(Self.quarantineHeader.utf8)
        kept.reserveCapacity(Self.flushBytes + 64 * 1024)
        // Kept rows leave as one zstd frame, compressed a flush at a time.
        let encoder = try ZstdEncoder(level: Self.compressionLevel)
        var compressed: [UInt8] = []
        var quarantined = 0
        func process(_ line: UnsafeRawBufferPointer, _ number: Int) {
            guard number > 1 else { return }
            statistics.linesRead &+= 1
            switch parser.parse(line) {
            case .malformed(let reason):
                malformed[MalformedReason.allCases.firstIndex(of: reason)!] += 1
                quarantined += 1
                Self.appendQuarantine(&quarantine, number: number, reason: reason, line: line)
            case .valid(let record):
                statistics.validRows &+= 1
                switch filter.decide(record) {
                case .otherDate:
                    break
                case .droppedInactive:
                    statistics.rowsOnDate &+= 1
                    statistics.rowsDroppedInactive &+= 1
                case .kept:
                    statistics.rowsOnDate &+= 1
                    statistics.rowsKept &+= 1
                    kept.append(contentsOf: line)
                    kept.append(UInt8(ascii: "\n"))
                }
            }
        }
        for try await chunk in store.objectChunks(bucket: bucket, key: key) {
            // Parsing is CPU-bound and the next chunk is often ready without suspending: yield so
            // that signal handling, heartbeats and HTTP requests share the cooperative pool.
            await Task.yield()
            try Task.checkCancellation()
            splitter.feed(chunk, process)
            if kept.count >= Self.flushBytes {
                try encoder.compress(kept, appendingTo: &compressed)
                kept.removeAll(keepingCapacity: true)
                if compressed.count >= Self.flushBytes {
                    try await keptPipe.send(compressed)
                    compressed = []
                }
            }
            if quarantine.count >= Self.flushBytes {
                try await quarantinePipe.send(quarantine)
                quarantine.removeAll(keepingCapacity: true)
            }
        }
        splitter.finish(process)
        try encoder.compress(kept, appendingTo: &compressed)
        try encoder.finish(appendingTo: &compressed)
        try await keptPipe.send(compressed)
        try await quarantinePipe.send(quarantine)
        for (index, reason) in MalformedReason.allCases.enumerated() where malformed[index] > 0 {
            statistics.malformed[reason] = malformed[index]
        }
        return LogOutcome(statistics: statistics, quarantined: quarantined, bytesWritten: 0)
    }
}
