/// The three raw inputs of a day, named as their objects.
public enum RawInput: String, Sendable, CaseIterable, Codable {
    case advertiserIds = "advertiser_ids"
    case productViews = "product_views"
    case adsViews = "ads_views"

    /// The object name, without extension.
    public var name: String { rawValue }
}
