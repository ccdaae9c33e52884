import TianpingRules

/// The trace as plain Chinese text, for the command line and for printing.
public enum SentencingReport {
    public static func text(_ e: SentencingEstimate, deviation: Deviation? = nil) -> String {
        var lines: [String] = []
        lines.append("\(e.crime)（刑法第\(e.article)条）  知识图谱 \(e.graphVersion)")
        for (i, s) in e.trace.enumerated() {
            var line = "\(i + 1). 【\(s.step)】\(s.detail)"
            if let r = s.range {
                line += "  ⇒ \(SentencingCalculator.months(r.lower))～\(SentencingCalculator.months(r.upper))（中心 \(SentencingCalculator.months(r.centre))）"
            }
            lines.append(line)
            lines.append("   依据：\(s.citation)  [\(s.grade.rawValue)级]")
        }
        lines.append("拟宣告刑区间：\(SentencingCalculator.months(e.expected.lower))～\(SentencingCalculator.months(e.expected.upper))，中心 \(SentencingCalculator.months(e.expected.centre))（区间估算，非唯一正确刑期）")
        if !e.assumptions.isEmpty { lines.append("使用的平台假设（C级，仅用于估算）：" + e.assumptions.joined(separator: "、")) }
        lines.append(e.alertable ? "可据以预警：是" : "可据以预警：否（" + e.notAlertableBecause.joined(separator: "；") + "）")
        if let d = deviation {
            lines.append("实际刑期 \(SentencingCalculator.months(d.actualMonths))：\(d.summary)" + (d.beyondAlertBounds ? "，超出预警边界" : ""))
            for x in d.explanations { lines.append("  · \(x)") }
        }
        return lines.joined(separator: "\n")
    }
}
