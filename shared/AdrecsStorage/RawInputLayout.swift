public import AdrecsDomain
public import AdrecsRuntime
public import Configuration
import S3Store

/// Where the raw inputs of a day are in the bucket.
///
/// Keys: `ingest.raw.layout` (`INGEST_RAW_LAYOUT`): `course` (default) or `daily`;
/// `ingest.raw.prefix` (`INGEST_RAW_PREFIX`): default `raw/`.
/// - `course`: one object per input holding every day, filtered by date: `raw/advertiser_ids`,
///   `raw/product_views`, `raw/ads_views`.
/// - `daily`: one prefix per day: `raw/<YYYY-MM-DD>/advertiser_ids` …
///
/// Each input is also accepted with a `.csv` extension; the key without it wins when both exist.
public struct RawInputLayout: Sendable, Hashable {
    public enum Style: String, Sendable, Hashable, CaseIterable {
        case course
        case daily
    }

    public static let defaultPrefix = "raw/"

    public var style: Style
    /// Ends with `/` unless empty.
    public var prefix: String

    public init(style: Style = .course, prefix: String = RawInputLayout.defaultPrefix) {
        self.style = style
        self.prefix = prefix.isEmpty || prefix.hasSuffix("/") ? prefix : prefix + "/"
    }

    /// The keys above, for ingest's settings catalog.
    public static let settings: [Setting] = [
        Setting("INGEST_RAW_LAYOUT", default: Style.course.rawValue,
                "course (one object per input holding every day, filtered by date) or daily (one prefix per day: raw/YYYY-MM-DD/...)."),
        Setting("INGEST_RAW_PREFIX", default: defaultPrefix, "The key prefix of the raw inputs."),
    ]

    public init(config: ConfigReader) throws(ConfigError) {
        let raw = config.string(forKey: "ingest.raw.layout", default: Style.course.rawValue)
        guard let style = Style(rawValue: raw.lowercased()) else {
            throw ConfigError(key: "ingest.raw.layout", message: "expected 'course' or 'daily', got '\(raw)'")
        }
        self.init(style: style, prefix: config.string(forKey: "ingest.raw.prefix", default: Self.defaultPrefix))
    }

    /// The folder of `date`'s inputs.
    public func folder(for date: Day) -> String {
        switch style {
        case .course: prefix
        case .daily: prefix + "\(date)/"
        }
    }

    /// The keys tried for `input`, in order: without extension, then with `.csv`.
    public func candidates(_ input: RawInput, for date: Day) -> [String] {
        let base = folder(for: date) + input.name
        return [base, base + ".csv"]
    }

    /// The candidate keys of every input.
    public func keys(for date: Day) -> [RawInput: [String]] {
        Dictionary(uniqueKeysWithValues: RawInput.allCases.map { ($0, candidates($0, for: date)) })
    }

    /// The first candidate key of `input` that exists (HEAD), with its size.
    ///
    /// - Throws: ``StorageError/rawInputNotFound(input:candidates:)`` when none exists; an `S3Error`
    ///   otherwise. A HEAD answer has no body, so a refused HEAD is repeated as a one-byte GET to
    ///   report S3's error code (e.g. `SignatureDoesNotMatch`).
    public func resolve(_ input: RawInput, for date: Day, store: any ObjectStore, bucket: String) async throws -> (key: String, size: Int64) {
        let keys = candidates(input, for: date)
        for key in keys {
            let info: S3ObjectInfo?
            do {
                info = try await store.headObject(bucket: bucket, key: key)
            } catch let error as S3Error where error.kind == .service && error.code == nil {
                _ = try await store.getObject(bucket: bucket, key: key, range: 0...0)
                throw error
            }
            if let info { return (key, info.size) }
        }
        throw StorageError.rawInputNotFound(input: input, candidates: keys)
    }
}

/// The three raw inputs of a day, named as their objects.
public enum RawInput: String, Sendable, CaseIterable, Codable {
    case advertiserIds = "advertiser_ids"
    case productViews = "product_views"
    case adsViews = "ads_views"

    /// The object name, without extension.
    public var name: String { rawValue }
}

/// A failure of the pipeline's storage layer.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// None of the candidate keys of a raw input exists.
    case rawInputNotFound(input: RawInput, candidates: [String])

    public var description: String {
        switch self {
        case .rawInputNotFound(_, let candidates):
            "raw input not found: \(candidates.joined(separator: " or "))"
        }
    }
}
