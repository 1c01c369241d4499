import AdrecsDomain
import AdrecsTestSupport

/// What ingest must produce for one day, computed line by line from whole files (an oracle
/// independent of the streaming job).
struct Expected {
    var keptLines: [LogKind: [String]] = [:]
    var malformed: [LogKind: [(number: Int, reason: MalformedReason, line: String)]] = [:]
    var active: [String] = []

    init(advertiserIds: [UInt8], productViews: [UInt8], adsViews: [UInt8], day: Day) {
        var seen = Set<String>()
        for line in CourseData.lines(advertiserIds).dropFirst()
        where Array(line.utf8).withUnsafeBytes({ ActiveAdvertisersParser.malformedReason($0) }) == nil {
            if seen.insert(line).inserted { active.append(line) }
        }
        for (kind, bytes) in [(LogKind.productViews, productViews), (.adsViews, adsViews)] {
            let parser = LogLineParser(kind: kind)
            var kept: [String] = []
            var bad: [(Int, MalformedReason, String)] = []
            for (index, line) in CourseData.lines(bytes).enumerated() where index > 0 {
                if let reason = parser.malformedReason(Array(line.utf8)) {
                    bad.append((index + 1, reason, line))
                    continue
                }
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                if fields.last.map(String.init) == day.description && seen.contains(String(fields[0])) {
                    kept.append(line)
                }
            }
            keptLines[kind] = kept
            malformed[kind] = bad
        }
    }

    /// The filtered object: header, kept lines, LF.
    func filtered(_ kind: LogKind) -> String {
        ([kind.header] + keptLines[kind, default: []]).map { $0 + "\n" }.joined()
    }

    /// The quarantine object.
    func quarantine(_ kind: LogKind) -> String {
        (["line_number,reason,line"] + malformed[kind, default: []].map { "\($0.number),\($0.reason.rawValue),\($0.line)" })
            .map { $0 + "\n" }.joined()
    }
}
