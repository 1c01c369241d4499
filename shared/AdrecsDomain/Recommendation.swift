/// One ranked product of one model for one advertiser and day: a row of the results CSV.
///
/// TopProduct rows carry `views`; TopCTR rows carry `impressions`, `clicks` and `ctr`.
public struct Recommendation: Sendable, Hashable, Codable {
    public var day: Day
    public var advertiserId: String
    public var model: ModelKind
    /// 1-based.
    public var rank: Int
    public var productId: String
    public var views: Int?
    public var impressions: Int?
    public var clicks: Int?
    public var ctr: Double?

    public init(
        day: Day, advertiserId: String, model: ModelKind, rank: Int, productId: String,
        views: Int? = nil, impressions: Int? = nil, clicks: Int? = nil, ctr: Double? = nil
    ) {
        self.day = day
        self.advertiserId = advertiserId
        self.model = model
        self.rank = rank
        self.productId = productId
        self.views = views
        self.impressions = impressions
        self.clicks = clicks
        self.ctr = ctr
    }

    /// The CSV order: date, advertiser id (bytewise), model, rank.
    public static func csvOrder(_ lhs: Recommendation, _ rhs: Recommendation) -> Bool {
        if lhs.day != rhs.day { return lhs.day < rhs.day }
        if !lhs.advertiserId.utf8.elementsEqual(rhs.advertiserId.utf8) {
            return lhs.advertiserId.utf8.lexicographicallyPrecedes(rhs.advertiserId.utf8)
        }
        if lhs.model != rhs.model { return lhs.model < rhs.model }
        return lhs.rank < rhs.rank
    }
}

/// The two recommendation models; raw values are the `model` column.
public enum ModelKind: String, Sendable, Codable, CaseIterable, Comparable {
    case topCTR = "TopCTR"
    case topProduct = "TopProduct"

    /// Orders as the `model` column sorts (bytewise).
    public static func < (lhs: ModelKind, rhs: ModelKind) -> Bool {
        lhs.rawValue.utf8.lexicographicallyPrecedes(rhs.rawValue.utf8)
    }
}
