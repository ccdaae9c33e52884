import Foundation
import TianpingRetrieval
import TianpingText

/// One judgment a sentence is compared with, linkable by its library id.
public struct ComparableJudgment: Sendable, Codable, Hashable {
    public var id: String
    public var title: String?
    public var caseNumber: String?
    public var court: String?
    /// Its place among the similar judgments the search returned (1 = the most similar).
    public var rank: Int
    public var charges: [String]
    public var outcome: SentenceOutcome
    /// The guideline's centre for this judgment's own facts, when it can be estimated: the comparable's sentence
    /// measured against it says how courts depart from the guideline in cases like this one.
    public var guidelineCentre: Double?

    public init(id: String, title: String?, caseNumber: String?, court: String?, rank: Int, charges: [String], outcome: SentenceOutcome,
                guidelineCentre: Double? = nil) {
        self.id = id
        self.title = title
        self.caseNumber = caseNumber
        self.court = court
        self.rank = rank
        self.charges = charges
        self.outcome = outcome
        self.guidelineCentre = guidelineCentre
    }
}

/// The sentences among the judgments most similar to a case that decided the same charges (and, where the guideline's
/// bands can be read, the same band): how many, the quartiles of their terms, and how many ended in no custody, life
/// or death. Evidence beside the guideline's range, never a verdict on it.
public struct ComparableSentences: Sendable, Codable, Hashable {
    public enum Scope: String, Sendable, Codable, Hashable {
        /// Same charges, and each charge in the same statutory band as the case (read from both texts).
        case sameChargesAndBand
        /// Same charges; the band could not be compared, or too few judgments shared it.
        case sameCharges
    }

    public var scope: Scope
    /// Similar judgments looked at before the charge and band filters.
    public var searched: Int
    public var comparables: [ComparableJudgment]
    /// Terms in months among those with a term or no custody (0), sorted; life and death are counted apart.
    public var months: [Int]
    public var lowerQuartile: Double?
    public var median: Double?
    public var upperQuartile: Double?
    public var nonCustodial: Int
    public var life: Int
    public var death: Int
    /// Median over the comparables with a term (or no custody) and a guideline centre of ln(term + 1) − ln(centre + 1):
    /// how far, on the log scale, courts sentenced above (positive) or below the guideline in these cases.
    public var medianDeparture: Double?
    /// How many comparables the departure is measured on.
    public var departures: Int

    public var count: Int { comparables.count }

    public init(scope: Scope, searched: Int, comparables: [ComparableJudgment]) {
        self.scope = scope
        self.searched = searched
        self.comparables = comparables
        months = comparables.compactMap(\.outcome.months).sorted()
        lowerQuartile = Self.quantile(months, 0.25)
        median = Self.quantile(months, 0.5)
        upperQuartile = Self.quantile(months, 0.75)
        nonCustodial = comparables.filter { $0.outcome == .nonCustodial }.count
        life = comparables.filter { $0.outcome == .life }.count
        death = comparables.filter { $0.outcome == .death }.count
        let logs = comparables.compactMap { c -> Double? in
            guard let months = c.outcome.months, let centre = c.guidelineCentre else { return nil }
            return log(Double(months) + 1) - log(centre + 1)
        }.sorted()
        departures = logs.count
        medianDeparture = Self.quantile(logs, 0.5)
    }

    /// Linear interpolation between closest ranks (the usual "type 7" quantile), `nil` for no values.
    static func quantile(_ sorted: [Int], _ p: Double) -> Double? { quantile(sorted.map(Double.init), p) }

    static func quantile(_ sorted: [Double], _ p: Double) -> Double? {
        guard let first = sorted.first else { return nil }
        guard sorted.count > 1 else { return first }
        let position = p * Double(sorted.count - 1)
        let below = Int(position.rounded(.down))
        let above = Swift.min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }
}

/// Finds the comparable sentences among similar judgments and combines them with the guideline's centre by a fixed,
/// documented rule (docs/retrieval.md, "Sentencing from comparable judgments"); nothing in it is fitted to data.
public struct ComparableSentencing: Sendable {
    public let calculator: SentencingCalculator
    public let reader: SentencingFactReader
    /// Similar judgments asked of the index before filtering.
    public static let searched = 60
    /// The most similar comparables kept.
    public static let kept = 20
    /// Fewer comparables than this say too little: the band filter falls back to the charges alone, and a
    /// combination uses the guideline alone.
    public static let minimum = 5

    public init(calculator: SentencingCalculator) {
        self.calculator = calculator
        reader = SentencingFactReader(graph: calculator.graph)
    }

    /// What the guideline makes of a text: the statutory band of each charge and the centre of the combined range,
    /// or `nil` when a charge is not in the graph or cannot be estimated.
    public func guidelineReading(of text: String, charges: [String]) -> (bands: [Int], centre: Double)? {
        var bands: [Int] = []
        var ranges: [MonthRange] = []
        for charge in charges {
            guard let crime = calculator.graph.crime(named: charge) else { return nil }
            let reading = reader.read(text, crime: crime)
            guard let estimate = try? calculator.estimate(SentencingInput(crime: crime.name, facts: reading.facts, circumstances: reading.circumstances),
                                                          unknownCircumstances: .setAside)
            else { return nil }
            bands.append(estimate.bandIndex)
            ranges.append(estimate.expected)
        }
        return bands.isEmpty ? nil : (bands, SentencingCalculator.combine(ranges).centre)
    }

    /// The comparables of a case among `similar` judgments (most similar first): those deciding exactly `charges`
    /// with a readable sentence, then, when at least ``minimum`` of them share the case's band, only those.
    /// `bands`, when given, are the case's bands as already estimated (from the facts a user entered) instead of
    /// those read from `facts`.
    public func comparables(facts: String, charges: [String], similar: [ReadJudgment], bands: [Int]? = nil) -> ComparableSentences {
        let caseBands = bands ?? guidelineReading(of: facts, charges: charges)?.bands
        let sameCharges = similar.enumerated().compactMap { rank, candidate -> (ComparableJudgment, [Int]?)? in
            guard LibraryJudgment.decides(exactly: charges, candidate.reading.charges),
                  let outcome = candidate.judgment.outcome(for: charges, reading: candidate.reading) else { return nil }
            let own = guidelineReading(of: JudgmentReading.section(candidate.reading.facts, of: candidate.judgment.text), charges: charges)
            return (ComparableJudgment(id: candidate.judgment.id, title: candidate.judgment.title, caseNumber: candidate.reading.caseNumber,
                                       court: candidate.reading.court, rank: rank + 1, charges: candidate.reading.charges, outcome: outcome,
                                       guidelineCentre: own?.centre),
                    own?.bands)
        }
        if let caseBands {
            let sameBand = sameCharges.filter { $0.1 == caseBands }
            if sameBand.count >= Self.minimum {
                return ComparableSentences(scope: .sameChargesAndBand, searched: similar.count, comparables: sameBand.prefix(Self.kept).map(\.0))
            }
        }
        return ComparableSentences(scope: .sameCharges, searched: similar.count, comparables: sameCharges.prefix(Self.kept).map(\.0))
    }

    /// The comparables of one estimated crime and the centre that combines them with the estimate: what the
    /// sentencing command, the API and the 量刑测算 page show beside the guideline's range.
    public func compare(_ estimate: SentencingEstimate, facts: String, similar: [ReadJudgment]) -> (comparables: ComparableSentences, combined: CombinedEstimate?) {
        let found = comparables(facts: facts, charges: [estimate.crime], similar: similar, bands: [estimate.bandIndex])
        return (found, CombinedEstimate(guideline: estimate.expected, comparables: found))
    }

    /// The query that finds a case's candidates: its facts, ranked first by its charges and filtered to them.
    public static func query(facts: String, charges: [String]) -> SimilarCaseQuery {
        SimilarCaseQuery(text: facts, charges: charges, filters: SearchFilters(charges: charges))
    }
}

extension ComparableSentences {
    /// The distribution in one line of Chinese, as the reports print it.
    public var summary: String {
        guard count > 0 else { return "文书库中没有认定相同罪名且刑罚可读的相似判决" }
        let scopeText = scope == .sameChargesAndBand ? "同罪名、同量刑幅度" : "同罪名（量刑幅度无法比较或同幅度不足 \(ComparableSentencing.minimum) 份）"
        return "\(scopeText)的最相似判决 \(count) 份（检索 \(searched) 份）；" + distribution
    }

    /// The terms and the other outcomes, without saying how the judgments were chosen.
    public var distribution: String {
        var parts: [String] = []
        if let median, let lowerQuartile, let upperQuartile {
            parts.append(String(format: "刑期中位数 %.1f 个月，四分位 %.1f～%.1f 个月", median, lowerQuartile, upperQuartile))
        }
        if nonCustodial > 0 { parts.append("免予刑事处罚或单处罚金 \(nonCustodial) 份") }
        if life > 0 { parts.append("无期徒刑 \(life) 份") }
        if death > 0 { parts.append("死刑 \(death) 份") }
        return parts.joined(separator: "；")
    }
}
