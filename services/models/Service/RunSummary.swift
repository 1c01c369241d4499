import AdrecsConcurrency
import AdrecsDomain
import AdrecsPipeline

/// Human-readable text for a ``LocalRunReport``: one block per date, then totals.
public enum RunSummary {
    public static func text(_ report: LocalRunReport) -> String {
        var lines: [String] = []
        let ids = report.advertiserIds
        lines.append("advertiser_ids: \(ids.active) active, \(ids.duplicates) duplicates, malformed \(malformedText(ids.malformed))")
        for result in report.results {
            let s = result.statistics
            lines.append("\(result.day): \(result.recommendations.count) rows")
            lines.append("  product_views: \(dayText(s.productViews))")
            lines.append("  ads_views:     \(dayText(s.adsViews))")
            let a = s.anomalies
            lines.append("  anomalies: \(a.clickedWithoutImpressionProducts) clicked-without-impression products"
                + " (\(a.clickedWithoutImpressionClicks) clicks), \(a.ctrAboveOneProducts) products with ctr > 1")
            lines.append("  short lists: TopProduct \(shortText(s.shortLists.topProduct)), TopCTR \(shortText(s.shortLists.topCTR))")
        }
        lines.append("totals: \(report.results.count) dates, \(report.results.reduce(0) { $0 + $1.recommendations.count }) rows")
        if let first = report.results.first?.statistics {
            lines.append("  product_views: \(fileText(first.productViews, bytes: report.productViewsBytes))")
            lines.append("  ads_views:     \(fileText(first.adsViews, bytes: report.adsViewsBytes))")
        }
        let kept = report.results.reduce(0) { $0 + $1.statistics.productViews.rowsKept + $1.statistics.adsViews.rowsKept }
        let dropped = report.results.reduce(0) {
            $0 + $1.statistics.productViews.rowsDroppedInactive + $1.statistics.adsViews.rowsDroppedInactive
        }
        lines.append("  rows kept \(kept), dropped as inactive \(dropped)")
        let seconds = report.elapsed.seconds
        let lineCount = (report.results.first?.statistics).map { $0.productViews.linesRead + $0.adsViews.linesRead } ?? 0
        let rate = seconds > 0 ? Int(Double(lineCount) / seconds) : 0
        lines.append("  elapsed \(format(seconds)) s (\(rate) lines/s)")
        return lines.joined(separator: "\n")
    }

    private static func dayText(_ s: LogStatistics) -> String {
        "on date \(s.rowsOnDate), kept \(s.rowsKept), inactive dropped \(s.rowsDroppedInactive), malformed (file) \(malformedText(s.malformed))"
    }

    private static func fileText(_ s: LogStatistics, bytes: Int) -> String {
        "\(s.linesRead) lines (\(bytes) bytes), \(s.validRows) valid, malformed \(malformedText(s.malformed))"
    }

    private static func malformedText(_ counts: [MalformedReason: Int]) -> String {
        let total = counts.values.reduce(0, +)
        guard total > 0 else { return "0" }
        let parts = MalformedReason.allCases.compactMap { reason in counts[reason].map { "\(reason.rawValue)=\($0)" } }
        return "\(total) (" + parts.joined(separator: ", ") + ")"
    }

    private static func shortText(_ lists: [String: Int]) -> String {
        guard !lists.isEmpty else { return "none" }
        let shown = lists.sorted { $0.key < $1.key }.prefix(5).map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(lists.count)" + (lists.count > 5 ? " (\(shown), ...)" : " (\(shown))")
    }

    private static func format(_ seconds: Double) -> String {
        let millis = Int((seconds * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
