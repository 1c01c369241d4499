/// The two event logs.
public enum LogKind: String, Sendable, Codable, CaseIterable {
    /// `product_views`: `advertiser_id,product_id,date`.
    case productViews = "product_views"
    /// `ads_views`: `advertiser_id,product_id,type,date`.
    case adsViews = "ads_views"

    /// The file name, without extension.
    public var fileName: String { rawValue }

    /// The number of comma-separated fields of a line.
    public var fieldCount: Int {
        switch self {
        case .productViews: 3
        case .adsViews: 4
        }
    }

    /// The header line, also used for filtered output.
    public var header: String {
        switch self {
        case .productViews: "advertiser_id,product_id,date"
        case .adsViews: "advertiser_id,product_id,type,date"
        }
    }
}
