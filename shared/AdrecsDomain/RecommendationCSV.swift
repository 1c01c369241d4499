/// The results CSV: `date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr`.
///
/// Absent values are empty fields. `ctr` uses Swift's shortest round-trip form (`1.0`, `0.5`,
/// `0.3333333333333333`), the same digits as Python's `repr`.
public enum RecommendationCSV {
    public static let header = "date,advertiser_id,model,rank,product_id,views,impressions,clicks,ctr"

    /// One line, without line ending.
    public static func line(_ row: Recommendation) -> String {
        func text(_ value: Int?) -> String { value.map { String($0) } ?? "" }
        return [
            row.day.description, row.advertiserId, row.model.rawValue, String(row.rank), row.productId,
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

    /// Parses one data line (`number` is only for errors).
    public static func parse(line: Substring, number: Int = 0) throws(DomainError) -> Recommendation {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        func fail(_ reason: String) -> DomainError { .invalidResultsCSV(line: number, reason: reason) }
        guard fields.count == 9 else { throw fail("expected 9 fields, found \(fields.count)") }
        guard let day = Day(String(fields[0])) else { throw fail("bad date") }
        guard let model = ModelKind(rawValue: String(fields[2])) else { throw fail("bad model") }
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
            day: day, advertiserId: String(fields[1]), model: model, rank: rank, productId: String(fields[4]),
            views: try optionalInt(5), impressions: try optionalInt(6), clicks: try optionalInt(7), ctr: ctr
        )
    }

    /// Parses a document with a header line; LF or CRLF endings; a final newline is optional.
    public static func parse(document: String) throws(DomainError) -> [Recommendation] {
        var rows: [Recommendation] = []
        var number = 0
        // "\r\n" is one Character, so split on both forms.
        for line in document.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if number == 1 {
                guard line == header else { throw .invalidResultsCSV(line: 1, reason: "unexpected header") }
                continue
            }
            if line.isEmpty { continue }
            rows.append(try parse(line: line, number: number))
        }
        return rows
    }
}
