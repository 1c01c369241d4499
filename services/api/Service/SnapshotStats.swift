import AdrecsDomain
import Foundation
import Hummingbird

/// The `/stats` body, computed once per snapshot.
struct SnapshotStats: Encodable {
    struct Freshness: Encodable {
        var latestDate: String
        var committedAt: String
        var runID: String
        var snapshotLoadedAt: Date
        enum CodingKeys: String, CodingKey {
            case latestDate = "latest_date", committedAt = "committed_at", runID = "run_id"
            case snapshotLoadedAt = "snapshot_loaded_at"
        }
    }
    struct ModelSummary: Encodable {
        var rows: Int
        var advertisers: Int
    }
    struct AdvertiserValue: Encodable {
        var advertiserID: String
        var value: Double
        enum CodingKeys: String, CodingKey { case advertiserID = "advertiser_id", value }
    }
    struct Agreement: Encodable {
        /// How agreement is measured.
        var definition = "per advertiser with both lists on the latest date: shared products / length of the longer list"
        var advertisers: Int
        var mean: Double?
        var lowest: AdvertiserValue?
        var highest: AdvertiserValue?
    }
    struct Churn: Encodable {
        var definition = "per advertiser with a list on both dates: share of the latest list not in the previous one"
        var from: String?
        var to: String
        /// Per model, the advertisers whose list changed most (up to 10, largest first).
        var mostChanged: [String: [AdvertiserValue]]
        var meanChanged: [String: Double?]
        enum CodingKeys: String, CodingKey {
            case definition, from, to, mostChanged = "most_changed", meanChanged = "mean_changed"
        }
    }

    var freshness: Freshness
    var dates: [String]
    var activeAdvertisers: Int
    var advertisersWithRecommendations: Int
    var models: [String: ModelSummary]
    var agreement: Agreement
    var churn: Churn

    enum CodingKeys: String, CodingKey {
        case freshness, dates, models, agreement, churn
        case activeAdvertisers = "active_advertisers"
        case advertisersWithRecommendations = "advertisers_with_recommendations"
    }

    /// - Parameters:
    ///   - days: the days held, newest first (at least one).
    ///   - activeAdvertisers: the number of active advertisers on the latest date.
    init(days: [DayStamp], activeAdvertisers: Int, tally: StatsTally, loadedAt: Date) {
        let latest = days[0]
        freshness = Freshness(latestDate: latest.date.description, committedAt: latest.committedAt,
                              runID: latest.runID, snapshotLoadedAt: loadedAt)
        dates = days.map(\.date.description)
        self.activeAdvertisers = activeAdvertisers
        advertisersWithRecommendations = tally.advertisersWithRecommendations
        var models: [String: ModelSummary] = [:]
        for model in ModelKind.allCases {
            models[model.rawValue] = ModelSummary(rows: tally.rows[model.index], advertisers: tally.advertisers[model.index])
        }
        self.models = models

        let overlaps = tally.overlaps.sorted { ($0.value, $0.advertiserID) < ($1.value, $1.advertiserID) }
        agreement = Agreement(
            advertisers: overlaps.count,
            mean: overlaps.isEmpty ? nil : overlaps.reduce(0) { $0 + $1.value } / Double(overlaps.count),
            lowest: overlaps.first,
            highest: overlaps.max { ($0.value, $1.advertiserID) < ($1.value, $0.advertiserID) }
        )

        var mostChanged: [String: [AdvertiserValue]] = [:]
        var meanChanged: [String: Double?] = [:]
        for model in ModelKind.allCases {
            let changes = tally.changes[model.index].sorted { ($1.value, $0.advertiserID) < ($0.value, $1.advertiserID) }
            mostChanged[model.rawValue] = Array(changes.prefix(10))
            let mean: Double? = changes.isEmpty ? nil : changes.reduce(0) { $0 + $1.value } / Double(changes.count)
            meanChanged[model.rawValue] = .some(mean)
        }
        churn = Churn(from: days.count > 1 ? days[1].date.description : nil, to: latest.date.description,
                      mostChanged: mostChanged, meanChanged: meanChanged)
    }

    func encoded() -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain value; encoding cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return ByteBuffer(bytes: data)
    }
}
