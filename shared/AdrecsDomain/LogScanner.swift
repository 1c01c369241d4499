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

    init(selection: DaySelection, active: ActiveAdvertisers) {
        self.selection = selection
        self.active = active
        if case .single(let day) = selection { addSlot(day) }
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) {
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.feed(chunk) { line, number in process(line, number) }
        swap(&splitter, &self.splitter)
    }

    mutating func finish() {
        var splitter = LineSplitter()
        swap(&splitter, &self.splitter)
        splitter.finish { line, number in process(line, number) }
        swap(&splitter, &self.splitter)
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
        switch parser.parse(line) {
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
            models[slot].add(advertiser: advertiser, record: record)
        }
    }

    @discardableResult
    private mutating func addSlot(_ day: Day) -> Int {
        slotOfDay[day] = days.count
        days.append(day)
        models.append(Model(advertiserCount: active.count))
        counts.append(LogStatistics())
        return days.count - 1
    }
}
