import Foundation
import TianpingText

/// A centre for a sentence that weighs the guideline's range and the comparable judgments by a fixed rule:
///
/// 1. With at least ``ComparableSentencing/minimum`` comparables of which more than half ended in life or death, the
///    centre is that outcome (death when more of them were death): no number of months stands for it.
/// 2. Otherwise, with the guideline's centre *g* and at least the minimum of comparables measured against their own
///    guideline centres *gᵢ* (actual terms *aᵢ*), the median departure d = median(ln(aᵢ+1) − ln(gᵢ+1)) corrects it:
///    (g+1)·eᵈ − 1. The guideline's arithmetic for this case, moved as courts moved from the same arithmetic in the
///    cases most like it; the log scale is the one on which sentences are compared.
/// 3. Otherwise the guideline's centre alone; without one, the comparables' median term (at least the minimum of
///    terms); with neither, no centre.
///
/// No weight is fitted; the rule was chosen on CAIL2018 DEV over a first one (an equal-weight geometric mean of g and
/// the comparables' median), so DEV figures for it are not held-out figures (BENCHMARKS.md).
public struct CombinedEstimate: Sendable, Codable, Hashable {
    public enum Basis: String, Sendable, Codable, Hashable {
        case guidelineAndComparables, guideline, comparables, comparablesLifeOrDeath
    }

    public var basis: Basis
    public var outcome: SentenceOutcome
    /// The centre in months (before rounding into `outcome`); `nil` for life or death.
    public var months: Double?
    public var guidelineCentre: Double?
    public var comparableMedian: Double?
    /// One sentence saying which rule applied, for the report.
    public var explanation: String

    public init?(guideline: MonthRange?, comparables: ComparableSentences?) {
        let enough = (comparables?.count ?? 0) >= ComparableSentencing.minimum
        guidelineCentre = guideline?.centre
        comparableMedian = (comparables?.months.count ?? 0) >= ComparableSentencing.minimum ? comparables?.median : nil
        if enough, let c = comparables, 2 * (c.life + c.death) > c.count {
            basis = .comparablesLifeOrDeath
            outcome = c.death > c.life ? .death : .life
            months = nil
            explanation = "\(c.count) 份可比判决中 \(c.life + c.death) 份判处无期徒刑或死刑，过半：中心取\(outcome.chineseDescription)"
            return
        }
        let departure = (comparables?.departures ?? 0) >= ComparableSentencing.minimum ? comparables?.medianDeparture : nil
        if let g = guidelineCentre, let d = departure {
            basis = .guidelineAndComparables
            months = Swift.max(0, (g + 1) * exp(d) - 1)
            explanation = String(format: "量刑指导意见区间中心 %.1f 个月，按 %d 份可比判决相对各自指导意见测算的偏离中位数（%@%.0f%%）校正", g,
                                 comparables?.departures ?? 0, d >= 0 ? "+" : "−", abs(exp(d) - 1) * 100)
        } else if let g = guidelineCentre {
            basis = .guideline
            months = g
            explanation = String(format: "可与指导意见测算比较的可比判决不足 %d 份（可比判决共 %d 份），只用量刑指导意见区间中心 %.1f 个月",
                                 ComparableSentencing.minimum, comparables?.count ?? 0, g)
        } else if let m = comparableMedian {
            basis = .comparables
            months = m
            explanation = String(format: "量刑指导意见未能测算，取 %d 份可比判决刑期中位数 %.1f 个月", comparables?.months.count ?? 0, m)
        } else {
            return nil
        }
        let rounded = Int((months ?? 0).rounded())
        outcome = rounded > 0 ? .term(months: rounded) : .nonCustodial
    }
}

extension TermScore {
    /// The CAIL2018 score of a predicted outcome: life and death count only when matched exactly (1, else 0); a term
    /// (no custody is 0 months) is scored by ``score(actualMonths:predictedMonths:)``, and 0 against life or death.
    public static func score(actual: SentenceOutcome, predicted: SentenceOutcome) -> Double {
        switch (actual, predicted) {
        case (.death, .death), (.life, .life): 1
        case (.death, _), (.life, _), (_, .death), (_, .life): 0
        default: score(actualMonths: Double(actual.months ?? 0), predictedMonths: Double(predicted.months ?? 0))
        }
    }
}
