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

    init(days: [SnapshotDay], lists: [String: [[[SnapshotRecommendation]]]], loadedAt: Date) {
        let latest = days[0]
        freshness = Freshness(latestDate: latest.stamp.date.description, committedAt: latest.stamp.committedAt,
                              runID: latest.stamp.runID, snapshotLoadedAt: loadedAt)
        dates = days.map(\.stamp.date.description)
        activeAdvertisers = Set(latest.activeAdvertisers).count
        advertisersWithRecommendations = lists.values.count { perDay in perDay[0].contains { !$0.isEmpty } }
        var models: [String: ModelSummary] = [:]
        for model in ModelKind.allCases {
            let lengths = lists.values.map { $0[0][model.index].count }
            models[model.rawValue] = ModelSummary(rows: lengths.reduce(0, +), advertisers: lengths.count { $0 > 0 })
        }
        self.models = models

        var overlaps: [AdvertiserValue] = []
        for (advertiser, perDay) in lists {
            let a = Set(perDay[0][0].map(\.productID)), b = Set(perDay[0][1].map(\.productID))
            guard !a.isEmpty, !b.isEmpty else { continue }
            overlaps.append(AdvertiserValue(advertiserID: advertiser,
                                            value: Double(a.intersection(b).count) / Double(max(a.count, b.count))))
        }
        overlaps.sort { ($0.value, $0.advertiserID) < ($1.value, $1.advertiserID) }
        agreement = Agreement(
            advertisers: overlaps.count,
            mean: overlaps.isEmpty ? nil : overlaps.reduce(0) { $0 + $1.value } / Double(overlaps.count),
            lowest: overlaps.first,
            highest: overlaps.max { ($0.value, $1.advertiserID) < ($1.value, $0.advertiserID) }
        )

        var mostChanged: [String: [AdvertiserValue]] = [:]
        var meanChanged: [String: Double?] = [:]
        for model in ModelKind.allCases {
            var changes: [AdvertiserValue] = []
            if days.count > 1 {
                for (advertiser, perDay) in lists {
                    let now = Set(perDay[0][model.index].map(\.productID))
                    let before = Set(perDay[1][model.index].map(\.productID))
                    guard !now.isEmpty, !before.isEmpty else { continue }
                    changes.append(AdvertiserValue(advertiserID: advertiser,
                                                   value: Double(now.subtracting(before).count) / Double(now.count)))
                }
            }
            changes.sort { ($1.value, $0.advertiserID) < ($0.value, $1.advertiserID) }
            mostChanged[model.rawValue] = Array(changes.prefix(10))
            let mean: Double? = changes.isEmpty ? nil : changes.reduce(0) { $0 + $1.value } / Double(changes.count)
            meanChanged[model.rawValue] = .some(mean)
        }
        churn = Churn(from: days.count > 1 ? days[1].stamp.date.description : nil, to: latest.stamp.date.description,
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
