/// Active advertisers whose ranking has fewer items than the limit, with their item counts.
public struct ShortLists: Codable, Sendable, Equatable {
    public var topProduct: [String: Int] = [:]
    public var topCTR: [String: Int] = [:]

    public init() {}
}
