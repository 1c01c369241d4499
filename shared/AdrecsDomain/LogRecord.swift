/// One valid log line, as views into the line's bytes: valid only while that line is.
public struct LogRecord {
    public var advertiserId: UnsafeRawBufferPointer
    public var productId: UnsafeRawBufferPointer
    /// `nil` for `product_views`.
    public var type: AdType?
    public var date: Day

    public init(advertiserId: UnsafeRawBufferPointer, productId: UnsafeRawBufferPointer, type: AdType?, date: Day) {
        self.advertiserId = advertiserId
        self.productId = productId
        self.type = type
        self.date = date
    }
}
