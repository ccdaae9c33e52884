import Foundation

/// The CAIL2018 term score: per case v = |ln(actual+1) − ln(predicted+1)| in months, 1.0 / 0.8 / 0.6 / 0.4 / 0.2 / 0 for
/// v ≤ 0.2 / 0.4 / 0.6 / 0.8 / 1.0 / above; death and life imprisonment count only when matched exactly.
public enum TermScore {
    public static func score(actualMonths: Double, predictedMonths: Double) -> Double {
        let v = abs(log(actualMonths + 1) - log(predictedMonths + 1))
        switch v {
        case ...0.2: return 1.0
        case ...0.4: return 0.8
        case ...0.6: return 0.6
        case ...0.8: return 0.4
        case ...1.0: return 0.2
        default: return 0
        }
    }
}

/// One case of the CAIL2018 format: fact text, charges (without 罪), the actual term.
public struct CAILCase: Sendable, Codable {
    public var id: String
    public var fact: String
    public var meta: Meta

    public struct Meta: Sendable, Codable {
        public var accusation: [String]
        public var term_of_imprisonment: Term
    }

    public struct Term: Sendable, Codable {
        public var death_penalty: Bool
        public var life_imprisonment: Bool
        public var imprisonment: Int
    }
}

/// Runs the fact reader and the calculator over real cases and reports, per charge and overall, how often the actual
/// term lies inside the expected range and the CAIL2018 term score of the range centre.
public struct SentencingEvaluation: Sendable {
    public let calculator: SentencingCalculator
    public let reader: SentencingFactReader

    public init(graph: SentencingGraph, weights: SentencingCalculator.Weights = .init()) {
        calculator = SentencingCalculator(graph: graph, weights: weights)
        reader = SentencingFactReader(graph: graph)
    }

    public struct Tally: Sendable, Encodable {
        public var cases = 0
        /// Cases whose every charge is in the graph (a prediction was made).
        public var covered = 0
        public var inRange = 0
        public var scoreSum = 0.0
        /// Cases sentenced to death or life (never predicted: the calculator estimates fixed terms only).
        public var deathOrLife = 0
        public var score: Double { cases == 0 ? 0 : scoreSum / Double(cases) }
        public var coveredScore: Double { covered == 0 ? 0 : coveredScoreSum / Double(covered) }
        public var coveredScoreSum = 0.0
        public var inRangeShare: Double { covered == 0 ? 0 : Double(inRange) / Double(covered) }
        /// Sum of ln((upper + 1) / (lower + 1)): how wide the ranges are, so that the in-range share is read with it.
        public var logWidthSum = 0.0
        /// Geometric mean of (upper + 1) / (lower + 1) over the covered cases (1.5 = the upper end is half again the lower).
        public var typicalWidth: Double { covered == 0 ? 0 : exp(logWidthSum / Double(covered)) }

        enum CodingKeys: String, CodingKey {
            case cases, covered, inRange, scoreSum, deathOrLife, coveredScoreSum, logWidthSum, score, coveredScore, inRangeShare, typicalWidth
        }

        /// The derived figures are written too, so that the JSON report carries the scores themselves.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cases, forKey: .cases)
            try c.encode(covered, forKey: .covered)
            try c.encode(inRange, forKey: .inRange)
            try c.encode(scoreSum, forKey: .scoreSum)
            try c.encode(deathOrLife, forKey: .deathOrLife)
            try c.encode(coveredScoreSum, forKey: .coveredScoreSum)
            try c.encode(logWidthSum, forKey: .logWidthSum)
            try c.encode(score, forKey: .score)
            try c.encode(coveredScore, forKey: .coveredScore)
            try c.encode(inRangeShare, forKey: .inRangeShare)
            try c.encode(typicalWidth, forKey: .typicalWidth)
        }

        mutating func add(_ o: CaseResult) {
            cases += 1
            if o.deathOrLife { deathOrLife += 1 }
            guard o.predicted != nil, let lower = o.lower, let upper = o.upper else { return }
            covered += 1
            logWidthSum += log((upper + 1) / (lower + 1))
            scoreSum += o.score
            coveredScoreSum += o.score
            if o.inRange { inRange += 1 }
        }
    }

    public struct CaseResult: Sendable, Codable {
        public var id: String
        public var charges: [String]
        public var actual: Int
        public var deathOrLife: Bool
        public var predicted: Double?
        public var lower: Double?
        public var upper: Double?
        public var inRange: Bool
        public var score: Double
        public var missing: [String]
    }

    public struct Report: Sendable, Encodable {
        public var graph: String
        public var weights: SentencingCalculator.Weights
        public var overall: Tally
        public var byCharge: [String: Tally]
        /// Cases whose charges are in the guideline's 23 crimes only (starting points known).
        public var guidelineCrimes: Tally
    }

    public func evaluate(_ c: CAILCase) -> CaseResult {
        let term = c.meta.term_of_imprisonment
        let deathOrLife = term.death_penalty || term.life_imprisonment
        var ranges: [MonthRange] = []
        var missing: [String] = []
        for label in c.meta.accusation {
            guard let crime = calculator.graph.crime(named: label) else { missing.append(label); continue }
            let reading = reader.read(c.fact, crime: crime)
            guard let e = try? calculator.estimate(SentencingInput(crime: crime.name, facts: reading.facts, circumstances: reading.circumstances))
            else { missing.append(label); continue }
            ranges.append(e.expected)
        }
        guard missing.isEmpty, !ranges.isEmpty else {
            return CaseResult(id: c.id, charges: c.meta.accusation, actual: term.imprisonment, deathOrLife: deathOrLife, predicted: nil,
                lower: nil, upper: nil, inRange: false, score: 0, missing: missing)
        }
        let combined = SentencingCalculator.combine(ranges)
        let actual = Double(term.imprisonment)
        let score = deathOrLife ? 0 : TermScore.score(actualMonths: actual, predictedMonths: combined.centre)
        return CaseResult(id: c.id, charges: c.meta.accusation, actual: term.imprisonment, deathOrLife: deathOrLife,
            predicted: combined.centre, lower: combined.lower, upper: combined.upper,
            inRange: !deathOrLife && combined.contains(actual), score: score, missing: [])
    }

    public func report(_ cases: [CAILCase]) -> (Report, [CaseResult]) {
        var overall = Tally()
        var guideline = Tally()
        var byCharge: [String: Tally] = [:]
        var results: [CaseResult] = []
        for c in cases {
            let r = evaluate(c)
            results.append(r)
            overall.add(r)
            let key = c.meta.accusation.count == 1 ? c.meta.accusation[0] : "（数罪）"
            byCharge[key, default: Tally()].add(r)
            if c.meta.accusation.allSatisfy({ calculator.graph.crime(named: $0).map { $0.statutoryOnly != true } ?? false }) {
                guideline.add(r)
            }
        }
        return (Report(graph: calculator.graph.id + "@" + calculator.graph.version, weights: calculator.weights, overall: overall, byCharge: byCharge,
            guidelineCrimes: guideline), results)
    }
}
