import Foundation
import TianpingRetrieval
import TianpingText

/// The CAIL2018 term score of three centres on the same cases: the guideline's alone, the comparable judgments' alone,
/// and the two combined (``CombinedEstimate``). Each case's comparables come from a library searched without the case
/// itself (leave-one-out: the caller excludes it), so the score says how the method does on a case it has not seen.
public struct LibrarySentencingEvaluation: Sendable {
    public let guideline: SentencingEvaluation
    public let comparableSentencing: ComparableSentencing

    public init(graph: SentencingGraph, weights: SentencingCalculator.Weights = .init()) {
        guideline = SentencingEvaluation(graph: graph, weights: weights)
        comparableSentencing = ComparableSentencing(calculator: guideline.calculator)
    }

    public struct Tally: Sendable, Codable, Hashable {
        public var cases = 0
        /// Cases given a centre.
        public var predicted = 0
        public var scoreSum = 0.0
        public var score: Double { cases == 0 ? 0 : scoreSum / Double(cases) }

        mutating func add(_ score: Double?) {
            cases += 1
            guard let score else { return }
            predicted += 1
            scoreSum += score
        }

        enum CodingKeys: String, CodingKey { case cases, predicted, scoreSum, score }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            cases = try c.decode(Int.self, forKey: .cases)
            predicted = try c.decode(Int.self, forKey: .predicted)
            scoreSum = try c.decode(Double.self, forKey: .scoreSum)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cases, forKey: .cases)
            try c.encode(predicted, forKey: .predicted)
            try c.encode(scoreSum, forKey: .scoreSum)
            try c.encode(score, forKey: .score)
        }
    }

    public struct CaseResult: Sendable, Codable, Hashable {
        public var id: String
        public var charges: [String]
        public var actual: SentenceOutcome
        public var guidelineCentre: Double?
        public var comparables: ComparableSentences
        public var combined: CombinedEstimate?
        public var guidelineScore: Double?
        public var comparablesScore: Double?
        public var combinedScore: Double?
    }

    public struct Report: Sendable, Codable, Hashable {
        public var graph: String
        public var guideline: Tally
        public var comparables: Tally
        public var combined: Tally
        /// The combined centre's tally by the kind of the actual outcome (term, nonCustodial, life, death).
        public var combinedByOutcome: [String: Tally]
        /// The combined centre's tally by charge (数罪 together).
        public var combinedByCharge: [String: Tally]
        /// How many cases had comparables of the same band, of the same charges only, or none at all.
        public var scopes: [String: Int]
        public var medianComparables: Double
    }

    /// The actual outcome of a CAIL2018 case.
    public static func actual(_ c: CAILCase) -> SentenceOutcome {
        let term = c.meta.term_of_imprisonment
        if term.death_penalty { return .death }
        if term.life_imprisonment { return .life }
        return term.imprisonment > 0 ? .term(months: term.imprisonment) : .nonCustodial
    }

    /// Scores one case whose most similar judgments (the case itself excluded) are `similar`.
    public func evaluate(_ c: CAILCase, similar: [ReadJudgment]) -> CaseResult {
        let actual = Self.actual(c)
        let byGuideline = guideline.evaluate(c)
        let guidelineRange = byGuideline.predicted.map { MonthRange(lower: byGuideline.lower ?? $0, centre: $0, upper: byGuideline.upper ?? $0) }
        let comparables = comparableSentencing.comparables(facts: c.fact, charges: c.meta.accusation, similar: similar)
        let alone = CombinedEstimate(guideline: nil, comparables: comparables)
        let combined = CombinedEstimate(guideline: guidelineRange, comparables: comparables)
        func score(_ e: CombinedEstimate?) -> Double? {
            guard let e else { return nil }
            if let months = e.months, let actualMonths = actual.months { return TermScore.score(actualMonths: Double(actualMonths), predictedMonths: months) }
            return TermScore.score(actual: actual, predicted: e.outcome)
        }
        return CaseResult(id: c.id, charges: c.meta.accusation, actual: actual, guidelineCentre: byGuideline.predicted, comparables: comparables,
                          combined: combined,
                          guidelineScore: byGuideline.predicted.map { p in actual.months.map { TermScore.score(actualMonths: Double($0), predictedMonths: p) } ?? 0 },
                          comparablesScore: score(alone), combinedScore: score(combined))
    }

    public func report(_ results: [CaseResult]) -> Report {
        var g = Tally(), a = Tally(), c = Tally()
        var byOutcome: [String: Tally] = [:]
        var byCharge: [String: Tally] = [:]
        var scopes: [String: Int] = [:]
        for r in results {
            g.add(r.guidelineScore)
            a.add(r.comparablesScore)
            c.add(r.combinedScore)
            let kind = switch r.actual {
            case .term: "term"
            case .nonCustodial: "nonCustodial"
            case .life: "life"
            case .death: "death"
            }
            byOutcome[kind, default: Tally()].add(r.combinedScore)
            byCharge[r.charges.count == 1 ? r.charges[0] : "（数罪）", default: Tally()].add(r.combinedScore)
            scopes[r.comparables.count == 0 ? "none" : r.comparables.scope.rawValue, default: 0] += 1
        }
        let counts = results.map(\.comparables.count).sorted()
        let median = counts.isEmpty ? 0 : ComparableSentences.quantile(counts, 0.5) ?? 0
        return Report(graph: guideline.calculator.graph.id + "@" + guideline.calculator.graph.version, guideline: g, comparables: a, combined: c,
                      combinedByOutcome: byOutcome, combinedByCharge: byCharge, scopes: scopes, medianComparables: median)
    }
}
