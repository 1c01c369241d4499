/// Parses one line (without its line ending) of `product_views` or `ads_views`.
///
/// Fields are split on `,` with no quoting and no trimming: an id is the bytes between commas,
/// UTF-8 text without NUL of at most ``MalformedReason/maxIDBytes`` bytes (quotes, backslashes,
/// tabs, spaces and any letters included). The checks run in the order of ``MalformedReason``,
/// so the first failing one names the line.
public struct LogLineParser: Sendable {
    public let kind: LogKind

    public init(kind: LogKind) {
        self.kind = kind
    }

    @inline(__always)
    public func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine {
        var memo = DateMemo()
        return parse(line, memo: &memo)
    }

    /// ``parse(_:)`` reusing the date of the previous line when the bytes are the same.
    @inline(__always)
    func parse(_ line: UnsafeRawBufferPointer, memo: inout DateMemo) -> ParsedLine {
        guard let base = line.baseAddress, line.count > 0 else { return .malformed(.blankLine) }
        let end = line.count
        let comma = UInt8(ascii: ",")
        // The two id fields are text in the fast path when the comma searches saw only plain ASCII.
        var notText: UInt64 = 0
        let first = ByteSearch.firstIndex(of: comma, in: base, from: 0, to: end, notText: &notText)
        guard first < end else { return .malformed(.fieldCount) }
        let second = ByteSearch.firstIndex(of: comma, in: base, from: first + 1, to: end, notText: &notText)
        guard second < end else { return .malformed(.fieldCount) }
        var third = end
        if kind == .adsViews {
            third = ByteSearch.firstIndex(of: comma, in: base, from: second + 1, to: end)
            guard third < end else { return .malformed(.fieldCount) }
        }
        guard ByteSearch.firstIndex(of: comma, in: base, from: (kind == .adsViews ? third : second) + 1, to: end) == end
        else { return .malformed(.fieldCount) }
        guard first > 0 else { return .malformed(.emptyAdvertiserId) }
        guard second > first + 1 else { return .malformed(.emptyProductId) }
        if let reason = MalformedReason.ofIDs(
            base, upTo: second, longest: max(first, second - first - 1), plainText: ByteSearch.isPlainText(notText)
        ) {
            return .malformed(reason)
        }
        let dateStart = (kind == .adsViews ? third : second) + 1
        guard let date = memo.day(for: UnsafeRawBufferPointer(start: base + dateStart, count: end - dateStart)) else {
            return .malformed(.badDate)
        }
        var type: AdType?
        if kind == .adsViews {
            guard let parsed = AdType(bytes: UnsafeRawBufferPointer(start: base + second + 1, count: third - second - 1)) else {
                return .malformed(.badType)
            }
            type = parsed
        }
        return .valid(LogRecord(
            advertiserId: UnsafeRawBufferPointer(start: base, count: first),
            productId: UnsafeRawBufferPointer(start: base + first + 1, count: second - first - 1),
            type: type,
            date: date
        ))
    }

    /// The reason `line` is malformed, or `nil` when it is valid.
    public func malformedReason(_ line: [UInt8]) -> MalformedReason? {
        line.withUnsafeBytes { bytes in
            if case .malformed(let reason) = parse(bytes) { reason } else { nil }
        }
    }
}

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

/// The verdict of ``LogLineParser`` on one line.
public enum ParsedLine {
    case valid(LogRecord)
    case malformed(MalformedReason)
}
