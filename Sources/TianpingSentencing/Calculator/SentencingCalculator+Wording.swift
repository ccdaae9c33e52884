import Foundation
import TianpingCore
import TianpingRules
import TianpingText

/// How terms, sums and shares are written in the trace (Chinese, without a formatter on the hot path).
extension SentencingCalculator {
    /// A term as sentences are written: whole years and months (`1年8个月`, `3年`, `7个月`); less than half a month
    /// is `不足1个月`. The arithmetic keeps its fractions; only the words round.
    public static func months(_ m: Double) -> String {
        guard m.isFinite, abs(m) < 1e9 else { return "—" }
        let rounded = m.rounded()
        if rounded == 0 { return m == 0 ? "0个月" : "不足1个月" }
        let sign = rounded < 0 ? "负" : ""
        let whole = Int(abs(rounded))
        if whole >= 12, whole % 12 == 0 { return "\(sign)\(whole / 12)年" }
        if whole >= 12 { return "\(sign)\(whole / 12)年\(whole % 12)个月" }
        return "\(sign)\(whole)个月"
    }

    /// A bound that an actual term is measured against: whole months when it is one, else to a tenth of a month — a
    /// bound of 35.3 months rounded to `2年11个月` would read as equal to a term of 2年11个月 that lies below it.
    public static func boundMonths(_ m: Double) -> String {
        guard m.isFinite, abs(m - m.rounded()) >= 0.05 else { return months(m) }
        let whole = Int(m)
        return whole >= 12 ? "\(whole / 12)年\(number(m - Double(whole / 12 * 12)))个月" : "\(number(m))个月"
    }

    static func bandText(_ b: SentencingGraph.Band) -> String {
        if b.detentionOnly == true { return "拘役（一至六个月）" }
        let above = b.lifeOrDeath == true ? (b.death == true ? "以上有期徒刑、无期徒刑或者死刑" : "以上有期徒刑或者无期徒刑") : nil
        if b.min <= 0 { return "\(months(b.max))" + (above ?? "以下有期徒刑") + (b.detention == true ? "、拘役" : "") }
        return "\(months(b.min))" + (above ?? "以上\(months(b.max))以下有期徒刑")
    }

    public static func number(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return v.isFinite ? String(format: "%.3g", v) : "—" }
        // Two decimals at most, trailing zeros dropped (12, 12.5, 12.25) — without a formatter or a regular expression,
        // since every trace calls this many times.
        let hundredths = Int((abs(v) * 100).rounded())
        let whole = hundredths / 100, fraction = hundredths % 100
        let sign = v < 0 && hundredths != 0 ? "-" : ""
        if fraction == 0 { return sign + String(whole) }
        if fraction % 10 == 0 { return sign + "\(whole).\(fraction / 10)" }
        return sign + "\(whole)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    public static func yuan(_ v: Double) -> String { number(v) + "元" }
    public static func percent(_ v: Double) -> String { v.isFinite && abs(v) < 1e12 ? "\(Int((v * 100).rounded()))%" : "—" }
    public static func signedPercent(_ v: Double) -> String { (v > 0 ? "+" : "") + percent(v) }
}
