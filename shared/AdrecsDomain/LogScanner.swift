/// Splits, parses and filters one log stream, feeding kept rows to one model per selected day.
struct LogScanner<Model: DayModel>: Sendable {
    let selection: DaySelection
    let active: ActiveAdvertisers
    private let parser = LogLineParser(kind: Model.kind)
    private var splitter = LineSplitter()
    private var malformed = [Int](repeating: 0, count: MalformedReason.allCases.count)
    private var linesRead = 0
    private var validRows = 0
    private(set) var days: [Day] = []
    private(set) var models: [Model] = []
    private(set) var counts: [LogStatistics] = []
    private var slotOfDay: [Day: Int] = [:]
    private var lastDay: Day?
    private var lastSlot = 0
    private var dateMemo = DateMemo()
    /// Kept rows not yet given to `models[batchSlot]`.
    private var batch = [PendingRow](repeating: PendingRow(key: 0, advertiser: 0, isClick: false), count: 32)
    private var batchCount = 0
    private var batchSlot = 0
    /// Feeds so far; `preparedIn[slot] == feedNumber` once `models[slot]` is prepared for batches in this feed.
    private var feedNumber = 0
    private var preparedIn: [Int] = []

    init(selection: DaySelection, active: ActiveAdvertisers) {
        self.selection = selection
        self.active = active
        if case .single(let day) = selection { addSlot(day) }
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        feedNumber += 1
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.feed(chunk) { line, number in process(line, number) }
        swap(&splitter, &self.splitter)
        flush()
    }

    mutating func finish() {
        feedNumber += 1
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.finish { line, number in process(line, number) }
        swap(&splitter, &self.splitter)
        flush()
    }

    private mutating func flush() {
        guard batchCount > 0 else { return }
        let count = batchCount
        // The models may share storage with copies made between feeds: unshare once per feed.
        if preparedIn[batchSlot] != feedNumber {
            models[batchSlot].prepareForBatches()
            preparedIn[batchSlot] = feedNumber
        }
        batch.withUnsafeBufferPointer { rows in
            models[batchSlot].add(batch: UnsafeBufferPointer(rebasing: rows[0..<count]))
        }
        batchCount = 0
    }

    /// The file-wide counts merged with the counts of `day` (zero when the day had no rows).
    func statistics(for day: Day) -> LogStatistics {
        var result = slotOfDay[day].map { counts[$0] } ?? LogStatistics()
        result.linesRead = linesRead
        result.validRows = validRows
        result.malformed = [:]
        for reason in MalformedReason.allCases where malformed[reason.index] > 0 {
            result.malformed[reason] = malformed[reason.index]
        }
        return result
    }

    func model(for day: Day) -> Model? {
        slotOfDay[day].map { models[$0] }
    }

    @inline(__always)
    private mutating func process(_ line: UnsafeRawBufferPointer, _ number: Int) {
        guard number > 1 else { return }
        linesRead &+= 1
        switch parser.parse(line, memo: &dateMemo) {
        case .malformed(let reason):
            malformed[reason.index] += 1
        case .valid(let record):
            validRows &+= 1
            let slot: Int
            if record.date == lastDay {
                slot = lastSlot
            } else if let existing = slotOfDay[record.date] {
                slot = existing
            } else if case .all = selection {
                slot = addSlot(record.date)
            } else {
                return
            }
            lastDay = record.date
            lastSlot = slot
            counts[slot].rowsOnDate &+= 1
            guard let advertiser = active.index(of: record.advertiserId) else {
                counts[slot].rowsDroppedInactive &+= 1
                return
            }
            counts[slot].rowsKept &+= 1
            if slot != batchSlot {
                flush()
                batchSlot = slot
            }
            let key = models[slot].key(forIdInLine: record.productId)
            batch[batchCount] = PendingRow(key: key, advertiser: Int32(truncatingIfNeeded: advertiser), isClick: record.type == .click)
            batchCount &+= 1
            if batchCount == batch.count { flush() }
        }
    }

    @discardableResult
    private mutating func addSlot(_ day: Day) -> Int {
        slotOfDay[day] = days.count
        days.append(day)
        models.append(Model(advertiserCount: active.count))
        counts.append(LogStatistics())
        preparedIn.append(0)
        return days.count - 1
    }
}

/// Which dates a run computes.
public enum DaySelection: Sendable, Hashable {
    /// One date; rows of other dates are skipped.
    case single(Day)
    /// Every date present among the valid rows, each computed separately.
    case all
}

/// A per-day accumulator fed with the kept rows of one log, in batches.
///
/// A batch first reads the table slot of every row, so that the cache misses overlap, then
/// applies the updates.
public protocol DayModel: Sendable {
    static var kind: LogKind { get }
    init(advertiserCount: Int)
    /// The key of a product id taken from a valid log line (interning long ids).
    mutating func key(forIdInLine product: UnsafeRawBufferPointer) -> UInt64
    /// Makes every table writable without further copy-on-write checks.
    mutating func prepareForBatches()
    /// Adds rows; ``prepareForBatches()`` must have run since the model was last copied.
    mutating func add(batch: UnsafeBufferPointer<PendingRow>)
}

/// A kept row waiting in a batch: its advertiser index, product key and ad type.
public struct PendingRow: Sendable {
    var key: UInt64
    var advertiser: Int32
    var isClick: Bool
}
