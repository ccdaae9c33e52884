import TianpingCore
import TianpingRules

/// One line of the calculator's reasoning: what it took, from which rule, so a person can redo it by hand.
public struct ExecutionStep: Sendable, Codable, Hashable {
    public var step: String
    public var detail: String
    public var citation: String
    public var grade: ConfidenceGrade
}

/// Something wrong (or needing a justification) in a proposed commutation.
public struct CommutationProblem: Sendable, Codable, Hashable {
    /// Stable English identifier (`too_early`, `below_statutory_floor` …).
    public var code: String
    public var severity: Severity
    public var message: String
    public var citation: String
    public var grade: ConfidenceGrade

    /// A hard breach of a rule (it cannot be lawful) or a departure that needs its reasons and a hearing.
    public enum Severity: String, Sendable, Codable, Hashable {
        case violation, review

        public var chineseName: String { self == .violation ? "违反规定" : "需说明理由" }
    }
}

/// The next commutation the rules allow: when it may be reported and how large it may be.
public struct NextCommutation: Sendable, Codable, Hashable {
    /// False when nothing may be granted (终身监禁, the floor reached); `reason` says why.
    public var allowed: Bool
    public var reason: String?
    /// The first day a proposal may be reported under the general start and interval limits.
    public var earliestReport: CalendarDate?
    /// With relaxation for minors or the infirm (SPC-2016 Art. 19–20): the first day at the most shortened limits.
    public var earliestReportRelaxed: CalendarDate?
    /// True when the grounds given (major meritorious service) free the proposal from the start and interval limits.
    public var startAndIntervalWaived: Bool
    /// The largest cut from a fixed term, after the statutory floor.
    public var maxReductionMonths: Int?
    /// Life and reprieve: the term (months) the reduction may reach, lowest first.
    public var reduceToMonths: [Int]?
    /// The rows of the rule pack used.
    public var schedules: [String]
    /// Why the court must hear the case in open court (SPC-Interp 538), if it must.
    public var hearingRequired: [String]
}

public struct ParoleAssessment: Sendable, Codable, Hashable {
    /// Why parole is not possible at all; empty when it is.
    public var barred: [String]
    public var eligibleFrom: CalendarDate?
    /// The two limits `eligibleFrom` is the later of: time served (刑法 81) and the interval after the last commutation
    /// (SPC-2016 Art. 28, which may be shortened when less than two years are left).
    public var servedEnoughOn: CalendarDate?
    public var afterCommutationOn: CalendarDate?
    /// The probation a parole on `eligibleFrom` would carry (刑法 83).
    public var probation: String?
    /// Why a parole must be heard in open court (SPC-Interp 538: the listed categories), if it must.
    public var hearingRequired: [String]
    public var citation: String
}

/// The calculator's answer for one prisoner.
public struct CommutationAssessment: Sendable, Codable, Hashable {
    public var rulesVersion: String
    public var sentence: String
    /// Names of the categories that applied and the regimes they put the prisoner in.
    public var categories: [String]
    public var regimes: [CommutationRules.Regime]
    /// The term now to be served, in words, and its last day (nil while a life sentence stands).
    public var currentTerm: String
    public var currentEnd: CalendarDate?
    /// The last day the prisoner must at least serve after all commutations (刑法 78(2)).
    public var floorEnd: CalendarDate?
    public var floorCitation: String
    public var next: NextCommutation
    public var parole: ParoleAssessment
    /// Problems of the proposal, when one was given.
    public var problems: [CommutationProblem]
    public var trace: [ExecutionStep]
}
