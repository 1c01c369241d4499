/// Streams one log into one `Model` per selected day: the public front over ``LogScanner``.
public struct ViewsAggregator<Model: DayModel>: Sendable {
    private var scanner: LogScanner<Model>

    public init(selection: DaySelection, active: ActiveAdvertisers) {
        scanner = LogScanner(selection: selection, active: active)
    }

    /// Feeds the next chunk of the file (any boundaries).
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) { scanner.feed(chunk) }

    public mutating func feed(_ chunk: [UInt8]) { chunk.withUnsafeBytes { scanner.feed($0) } }

    /// Ends the stream: the last line may lack its newline.
    public mutating func finish() { scanner.finish() }

    /// The days with rows, in order of first appearance (the selected day for `.single`).
    public var days: [Day] { scanner.days }

    public func model(for day: Day) -> Model? { scanner.model(for: day) }

    public func statistics(for day: Day) -> LogStatistics { scanner.statistics(for: day) }
}

/// Streams `ads_views` into one ``TopCTRModel`` per selected day.
public typealias AdsViewsAggregator = ViewsAggregator<TopCTRModel>

/// Streams `product_views` into one ``TopProductModel`` per selected day.
public typealias ProductViewsAggregator = ViewsAggregator<TopProductModel>
