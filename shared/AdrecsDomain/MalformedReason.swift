/// Why a log line was quarantined. When several apply, the first in declaration order wins.
public enum MalformedReason: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    /// The line is empty.
    case blankLine = "blank_line"
    /// Not exactly 3 (`product_views`) or 4 (`ads_views`) comma-separated fields.
    case fieldCount = "field_count"
    case emptyAdvertiserId = "empty_advertiser_id"
    case emptyProductId = "empty_product_id"
    /// An id (advertiser or product) longer than ``maxIDBytes`` bytes.
    case idTooLong = "id_too_long"
    /// An id that is not UTF-8 text PostgreSQL can store: an invalid UTF-8 sequence, or a NUL byte.
    case invalidUtf8 = "invalid_utf8"
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
        case .idTooLong: 4
        case .invalidUtf8: 5
        case .badDate: 6
        case .badType: 7
        }
    }

    /// The longest id kept, in bytes; the API accepts every id this allows.
    public static let maxIDBytes = 256

    /// Why the ids of one line are malformed (``idTooLong`` before ``invalidUtf8``, as declared),
    /// or `nil`. An id is any bytes between commas that are UTF-8 text without NUL and at most
    /// ``maxIDBytes`` long. The line's ids and the commas between them are `base[0..<end]`, the
    /// longest is `longest` bytes: one pass checks them all, since a comma (ASCII) never makes
    /// valid text invalid nor invalid text valid. `plainText`: the caller already saw that these
    /// bytes are ASCII without NUL (``ByteSearch/isPlainText(_:)``), so no pass is needed.
    @inline(__always)
    static func ofIDs(_ base: UnsafeRawPointer, upTo end: Int, longest: Int, plainText: Bool = false) -> MalformedReason? {
        if longest > maxIDBytes { return .idTooLong }
        return plainText || ByteSearch.isText(base, from: 0, to: end) ? nil : .invalidUtf8
    }
}
