/// The models' CSV documents (RFC 4180, LF line endings), which any CSV tool reads:
/// - the results: `date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr`;
/// - the advertisers: `advertiser_id`, one active id per line.
///
/// Ids are any UTF-8 text without `,` (the input format splits on it), so a field is quoted when
/// it needs it (``field(_:)``). Absent values are empty unquoted fields. `ctr` uses Swift's
/// shortest round-trip form (`1.0`, `0.5`, `0.3333333333333333`), the same digits as Python's `repr`.
public enum RecommendationCSV {
    public static let header = "date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr"
    public static let advertisersHeader = "advertiser_id"

    /// `text` as one CSV field: quoted (with `"` doubled) when it holds `"`, `,`, CR or LF, or
    /// begins or ends with a space or tab (which some readers trim); as is otherwise.
    public static func field(_ text: String) -> String {
        let utf8 = text.utf8
        let needsQuotes = utf8.contains { byte in
            byte == UInt8(ascii: "\"") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        } || utf8.first.map(isBlank) == true || utf8.last.map(isBlank) == true
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text.unicodeScalars {
            if character == "\"" { quoted += "\"\"" } else { quoted.unicodeScalars.append(character) }
        }
        return quoted + "\""
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }

    /// One line, without line ending.
    public static func line(_ row: Recommendation) -> String {
        func text(_ value: Int?) -> String { value.map { String($0) } ?? "" }
        return [
            row.day.description, field(row.advertiserId), row.model.rawValue, String(row.rank), field(row.productId),
            text(row.views), text(row.impressions), text(row.clicks), row.ctr.map { $0.description } ?? "",
        ].joined(separator: ",")
    }

    /// The whole document: header and rows, LF line endings.
    public static func document(_ rows: [Recommendation]) -> String {
        var result = header + "\n"
        for row in rows {
            result += line(row)
            result += "\n"
        }
        return result
    }

    /// The advertisers document: header `advertiser_id`, then one id per line (LF).
    public static func advertisersDocument(_ ids: [String]) -> String {
        var result = advertisersHeader + "\n"
        for id in ids {
            result += field(id)
            result += "\n"
        }
        return result
    }

    /// Parses one data line (`number` is only for errors).
    public static func parse(line: Substring, number: Int = 0) throws(DomainError) -> Recommendation {
        var reader = Reader(Array(line.utf8))
        var record = Record()
        guard try reader.next(into: &record) != nil else { throw .invalidResultsCSV(line: number, reason: "empty line") }
        let row = try recommendation(record, number: number)
        guard try reader.next(into: &record) == nil else {
            throw .invalidResultsCSV(line: number, reason: "more than one record")
        }
        return row
    }

    /// Parses a results document with its header; LF or CRLF endings; a final newline is optional.
    public static func parse(document: String) throws(DomainError) -> [Recommendation] {
        try parse(document: Array(document.utf8))
    }

    public static func parse(document: [UInt8]) throws(DomainError) -> [Recommendation] {
        var reader = try Reader(document, header: header)
        var record = Record()
        var rows: [Recommendation] = []
        while let line = try reader.next(into: &record) {
            rows.append(try recommendation(record, number: line))
        }
        return rows
    }

    /// Parses an advertisers document with its header.
    public static func parse(advertisersDocument document: [UInt8]) throws(DomainError) -> [String] {
        var reader = try Reader(document, header: advertisersHeader)
        var record = Record()
        var ids: [String] = []
        while let line = try reader.next(into: &record) {
            guard record.count == 1 else { throw .invalidResultsCSV(line: line, reason: "expected 1 field, found \(record.count)") }
            ids.append(try record.string(0, line: line))
        }
        return ids
    }

    private static func recommendation(_ record: Record, number: Int) throws(DomainError) -> Recommendation {
        func fail(_ reason: String) -> DomainError { .invalidResultsCSV(line: number, reason: reason) }
        guard record.count == 9 else { throw fail("expected 9 fields, found \(record.count)") }
        let fields = try (0..<9).map { index throws(DomainError) in try record.string(index, line: number) }
        guard let day = Day(fields[0]) else { throw fail("bad date") }
        guard let model = ModelKind(rawValue: fields[2]) else { throw fail("bad model") }
        guard let rank = Int(fields[3]) else { throw fail("bad rank") }
        func optionalInt(_ index: Int) throws(DomainError) -> Int? {
            if fields[index].isEmpty { return nil }
            guard let value = Int(fields[index]) else { throw fail("bad integer in field \(index + 1)") }
            return value
        }
        var ctr: Double?
        if !fields[8].isEmpty {
            guard let value = Double(fields[8]) else { throw fail("bad ctr") }
            ctr = value
        }
        return Recommendation(
            day: day, advertiserId: fields[1], model: model, rank: rank, productId: fields[4],
            views: try optionalInt(5), impressions: try optionalInt(6), clicks: try optionalInt(7), ctr: ctr
        )
    }

    // MARK: - Reading (RFC 4180)

    /// One record of a document, its fields unquoted. Reused from record to record by ``Reader``.
    public struct Record: Sendable {
        /// The unquoted bytes of every field, one after the other.
        fileprivate var bytes: [UInt8] = []
        /// Where each field ends in `bytes`.
        fileprivate var ends: [Int] = []
        /// Whether each field was quoted.
        fileprivate var quoted: [Bool] = []

        public init() {}

        public var count: Int { ends.count }

        /// The bytes of field `index`.
        public func withField<R, E: Error>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
            let start = index == 0 ? 0 : ends[index - 1]
            let outcome = bytes.withUnsafeBytes { all in
                Result { () throws(E) in try body(UnsafeRawBufferPointer(rebasing: all[start..<ends[index]])) }
            }
            return try outcome.get()
        }

        /// Whether field `index` is absent: empty and unquoted (`""` is the empty text).
        public func isNull(_ index: Int) -> Bool {
            !quoted[index] && ends[index] == (index == 0 ? 0 : ends[index - 1])
        }

        /// Field `index` as text; a field that is not UTF-8 fails with `line` in the error.
        func string(_ index: Int, line: Int) throws(DomainError) -> String {
            guard let text = withField(index, { String(validating: $0, as: UTF8.self) }) else {
                throw .invalidResultsCSV(line: line, reason: "field \(index + 1) is not UTF-8")
            }
            return text
        }

        /// The fields joined back with commas, unquoted (to compare a header).
        fileprivate var joined: [UInt8] {
            var result: [UInt8] = []
            var start = 0
            for (index, end) in ends.enumerated() {
                if index > 0 { result.append(UInt8(ascii: ",")) }
                result.append(contentsOf: bytes[start..<end])
                start = end
            }
            return result
        }
    }

    /// Reads a document as RFC 4180 CSV, record by record. Records end at LF or CRLF outside
    /// quotes; a quoted field may hold anything (`""` stands for `"`); an unquoted field holds no
    /// `"` or CR. Blank lines are skipped.
    public struct Reader: Sendable {
        private let document: [UInt8]
        private var index = 0
        private var line = 1

        /// A reader of `document`, which has no header.
        public init(_ document: [UInt8]) {
            self.document = document
        }

        /// A reader of `document` after its first record, which must be exactly `header`.
        public init(_ document: [UInt8], header: String) throws(DomainError) {
            self.document = document
            var record = Record()
            guard try next(into: &record) != nil else { throw .invalidResultsCSV(line: 1, reason: "missing header") }
            guard record.joined == Array(header.utf8), !record.quoted.contains(true) else {
                throw .invalidResultsCSV(line: 1, reason: "unexpected header")
            }
        }

        /// Reads the next record into `record`; returns the line it starts on (1-based), or `nil`
        /// at the end of the document.
        public mutating func next(into record: inout Record) throws(DomainError) -> Int? {
            let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
            let count = document.count
            while index < count {
                let start = line
                record.bytes.removeAll(keepingCapacity: true)
                record.ends.removeAll(keepingCapacity: true)
                record.quoted.removeAll(keepingCapacity: true)
                fields: while true {
                    if index < count && document[index] == quote {
                        index += 1
                        while true {
                            guard index < count else { throw .invalidResultsCSV(line: start, reason: "unterminated quoted field") }
                            let byte = document[index]
                            index += 1
                            if byte == quote {
                                guard index < count && document[index] == quote else { break }
                                index += 1
                            } else if byte == lf {
                                line += 1
                            }
                            record.bytes.append(byte)
                        }
                        record.quoted.append(true)
                    } else {
                        while index < count {
                            let byte = document[index]
                            if byte == comma || byte == lf || byte == cr { break }
                            guard byte != quote else { throw .invalidResultsCSV(line: line, reason: "quote inside an unquoted field") }
                            record.bytes.append(byte)
                            index += 1
                        }
                        record.quoted.append(false)
                    }
                    record.ends.append(record.bytes.count)
                    guard index < count else { break fields }
                    if document[index] == comma {
                        index += 1
                    } else if document[index] == lf {
                        index += 1
                        break fields
                    } else if document[index] == cr && index + 1 < count && document[index + 1] == lf {
                        index += 2
                        break fields
                    } else {
                        throw .invalidResultsCSV(line: line, reason: "unexpected character after a field")
                    }
                }
                line += 1
                if record.count == 1 && record.isNull(0) { continue }
                return start
            }
            return nil
        }
    }
}
