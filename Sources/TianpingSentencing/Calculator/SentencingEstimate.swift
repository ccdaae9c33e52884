import TianpingCore
import TianpingRules

/// A range of months. The calculator never gives one "correct" sentence: every result is a range and its centre.
public struct MonthRange: Sendable, Codable, Hashable {
    public var lower: Double
    public var centre: Double
    public var upper: Double

    public init(lower: Double, centre: Double, upper: Double) {
        self.lower = lower
        self.centre = min(max(centre, lower), upper)
        self.upper = upper
    }

    public func contains(_ months: Double) -> Bool { months >= lower - 0.05 && months <= upper + 0.05 }
}

/// One line of the trace: what was done, with which rule, and the months after it. A person can redo it by hand.
public struct TraceStep: Sendable, Codable, Hashable {
    public var step: String
    public var detail: String
    public var citation: String
    public var grade: ConfidenceGrade
    public var range: MonthRange?
}

/// A circumstance as the calculator applied it (or why it did not).
public struct AppliedCircumstance: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var tier: String
    public var min: Double
    public var max: Double
    /// The ratio used for the centre: the one given, else the midpoint of the range.
    public var used: Double
    public var given: Bool
    public var basis: String
    public var grade: ConfidenceGrade
}

/// The calculator's result for one crime.
public struct SentencingEstimate: Sendable, Codable, Hashable {
    public var crime: String
    public var article: String
    public var graphVersion: String
    public var bandIndex: Int
    public var band: String
    /// Statutory band in months and whether life imprisonment or death lie above it.
    public var statutoryMin: Double
    public var statutoryMax: Double
    public var lifeOrDeath: Bool
    /// The band was chosen from stated facts (not guessed from a default or from a national threshold range).
    public var bandCertain: Bool
    /// No reported fact chose the band: it is the basic one because nothing said otherwise (a sentence above it may
    /// rest on a higher band's circumstance the data does not carry).
    public var bandByDefault: Bool
    public var start: MonthRange
    public var benchmark: MonthRange
    public var circumstances: [AppliedCircumstance]
    /// Circumstances named in the input that were not counted, with the reason (认罪认罚 absorbs 自首 …).
    public var notCounted: [String]
    /// 拟宣告刑区间: the adjusted result with the judge's 20 % discretion, inside the statutory logic.
    public var expected: MonthRange
    /// Boundaries beyond which a sentence is a finding, without any platform assumption; `nil` when no alert is possible.
    public var alertLower: Double?
    public var alertUpper: Double?
    /// Whether a finding may be raised from this estimate, and if not, why.
    public var alertable: Bool
    public var notAlertableBecause: [String]
    /// Some circumstance allows a sentence below the band's minimum (减轻处罚).
    public var mitigationBelowMinimum: Bool
    public var trace: [TraceStep]
    /// The weakest grade among the rules the alert bounds rest on (the centre also rests on `assumptions`, grade C).
    public var alertGrade: ConfidenceGrade
    public var assumptions: [String]
}

/// Where an actual sentence lies against an estimate.
public struct Deviation: Sendable, Codable, Hashable {
    public enum Position: String, Sendable, Codable, Hashable { case inside, below, above }
    public var actualMonths: Double
    public var position: Position
    /// Distance from the nearest bound of the expected range, as a share of that bound (0.25 = 25 %).
    public var share: Double
    /// 偏离 in words: `在区间内` / `低于区间下限 31%` …
    public var summary: String
    /// Which reading of which rule would explain the sentence.
    public var explanations: [String]
    /// Beyond the alert bounds (no assumption involved) and the estimate may alert.
    public var beyondAlertBounds: Bool
}
