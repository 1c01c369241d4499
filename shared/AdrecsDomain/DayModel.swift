/// A per-day accumulator fed with the kept rows of one log.
protocol DayModel: Sendable {
    static var kind: LogKind { get }
    init(advertiserCount: Int)
    mutating func add(advertiser: Int, record: LogRecord)
}
