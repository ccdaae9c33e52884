import Foundation

/// Comparable judgments grouped by the review's cohort key, with robust statistics of their terms on a log scale,
/// for the 同案不同判 lead: a term far from its group's median (median absolute deviation), in a group large enough.
public struct SentencingCohorts: Sendable {
    public struct Stats: Sendable {
        public var count: Int
        public var median: Double
        /// Median absolute deviation of ln(months + 1).
        public var mad: Double
        let logMedian: Double

        /// Groups smaller than this say nothing.
        public static let minimumGroup = 10

        /// "高于中位数 x%" when the term lies more than 3.5 robust deviations from the median on the log scale and at least
        /// 50 % away from it.
        public func outlier(_ months: Double) -> String? {
            guard count >= Self.minimumGroup else { return nil }
            let d = log(months + 1) - logMedian
            let robust = max(1.4826 * mad, 0.05)
            guard abs(d) / robust > 3.5, abs(d) > log(1.5) else { return nil }
            let share = Int(((months - median) / max(median, 1) * 100).rounded())
            return share > 0 ? "高于中位数\(share)%" : "低于中位数\(-share)%"
        }
    }

    public var stats: [String: Stats]

    public init(terms: [String: [Double]]) {
        self.init(histograms: terms.mapValues { values in values.map { (months: $0, count: 1) } })
    }

    /// From counts of each term per cohort (what the store keeps).
    public init(histograms: [String: [(months: Double, count: Int)]]) {
        var stats: [String: Stats] = [:]
        for (key, bins) in histograms {
            let total = bins.reduce(0) { $0 + $1.count }
            guard total > 0 else { continue }
            let logs = bins.map { (value: log($0.months + 1), count: $0.count) }
            let m = Self.weightedMedian(logs)
            let mad = Self.weightedMedian(logs.map { (value: abs($0.value - m), count: $0.count) })
            stats[key] = Stats(count: total, median: Self.weightedMedian(bins.map { (value: $0.months, count: $0.count) }), mad: mad, logMedian: m)
        }
        self.stats = stats
    }

    static func weightedMedian(_ items: [(value: Double, count: Int)]) -> Double {
        let sorted = items.filter { $0.count > 0 }.sorted { $0.value < $1.value }
        let total = sorted.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        func at(_ rank: Int) -> Double {
            var seen = 0
            for item in sorted {
                seen += item.count
                if seen > rank { return item.value }
            }
            return sorted[sorted.count - 1].value
        }
        return total % 2 == 1 ? at(total / 2) : (at(total / 2 - 1) + at(total / 2)) / 2
    }
}
