/// Why a log line was quarantined. When several apply, the first in declaration order wins.
public enum MalformedReason: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// The line is empty.
    case blankLine = "blank_line"
    /// Not exactly 3 (`product_views`) or 4 (`ads_views`) comma-separated fields.
    case fieldCount = "field_count"
    case emptyAdvertiserId = "empty_advertiser_id"
    case emptyProductId = "empty_product_id"
    /// The date is not `YYYY-MM-DD` digits forming a calendar date.
    case badDate = "bad_date"
    /// The `ads_views` type is not exactly `impression` or `click`.
    case badType = "bad_type"

    /// Position in ``allCases``, for counting in fixed arrays.
    var index: Int {
        switch self {
        case .blankLine: 0
        case .fieldCount: 1
        case .emptyAdvertiserId: 2
        case .emptyProductId: 3
        case .badDate: 4
        case .badType: 5
        }
    }
}
