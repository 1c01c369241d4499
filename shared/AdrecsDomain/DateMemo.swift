/// The last valid date field seen and its ``Day``: consecutive log lines mostly share their
/// date, so a 10-byte comparison replaces the digit and calendar checks.
struct DateMemo {
    private var word: UInt64 = 0
    private var tail: UInt16 = 0
    private var day: Day?

    @inline(__always)
    mutating func day(for bytes: UnsafeRawBufferPointer) -> Day? {
        guard bytes.count == 10, let base = bytes.baseAddress else { return nil }
        let word = base.loadUnaligned(as: UInt64.self)
        let tail = base.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if let day, word == self.word, tail == self.tail { return day }
        guard let parsed = Day(bytes: bytes) else { return nil }
        self.word = word
        self.tail = tail
        self.day = parsed
        return parsed
    }
}
