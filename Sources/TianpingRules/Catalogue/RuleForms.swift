import TianpingCore

/// Selects events on a case's timeline.
public struct EventMatch: Sendable, Codable, Hashable {
    public var kinds: [EventKind]
    /// The acting agency must be of one of these kinds.
    public var agencyKinds: [AgencyKind]?
    /// The event's `procedure` attribute must be one of these.
    public var procedures: [TrialProcedure]?
    /// The event's `outcome` attribute must be one of these.
    public var outcomes: [String]?
    /// The event's `legalGround` attribute must be one of these.
    public var legalGrounds: [String]?
    /// The acting agency must differ from the agency that started the clock (a new organ's decision).
    public var otherAgencyThanStart: Bool?

    public init(kinds: [EventKind], agencyKinds: [AgencyKind]? = nil, procedures: [TrialProcedure]? = nil) {
        self.kinds = kinds
        self.agencyKinds = agencyKinds
        self.procedures = procedures
    }
}

/// A condition on the case or the person a clock concerns.
public struct Condition: Sendable, Codable, Hashable {
    /// The case carries one of these flags.
    public var flagsAny: [String]?
    /// The person is (or is not) in custody when the clock starts.
    public var inCustody: Bool?
    /// The trial procedure in force (triggering event, else the case).
    public var procedures: [TrialProcedure]?
    /// The person's latest judgment imposes more than this many months (life and death count as more).
    public var sentenceAboveMonths: Int?
    /// The person's latest judgment imposes one of these principal penalties, without probation.
    public var penaltiesAny: [PrincipalPenalty]?
    /// More than this many months of the term remain at the clock's start (custody before judgment is credited
    /// from the first detention or arrest; life and death with reprieve always qualify).
    public var remainingTermAboveMonths: Int?
}

/// "From event A to event B within a limit", with extensions, restarts, stops and excluded time.
public struct DeadlineSpec: Sendable, Codable {
    /// Each matching event starts a clock.
    public var start: EventMatch
    /// When such an event follows the start, the clock counts from it instead (身份不明 → 查清身份之日, CPL 160(2)).
    public var startOverride: EventMatch?
    /// The act that must happen in time.
    public var end: EventMatch
    /// The act in Chinese, as a verb phrase: `提请批准逮捕`.
    public var action: String
    /// The clock starts only when this holds at the start event (the defendant is on bail).
    public var when: Condition?
    /// Events that close the clock without a breach (a notice recording a lawful reason it could not be given).
    public var excuses: [EventMatch]?
    /// Events after which the clock no longer runs (the measure ended, the case was withdrawn).
    public var stops: [EventMatch]?
    /// Events that close the running period and start a new one (发回重审, 发现另有重要罪行).
    public var restarts: [EventMatch]?
    public var limit: Period
    /// Alternative limits; the first whose condition holds replaces `limit`.
    public var variants: [LimitVariant]?
    public var counting: CountingRule
    public var custody: CustodyRule
    public var extensions: [ExtensionSpec]?
    /// Periods that do not count (精神病鉴定期间, CPL 149).
    public var exclusions: [ExclusionSpec]?
    /// Events besides the later stages' that show the step can no longer come (an arrest ends the wait for the
    /// arrest decision). Together with the stage's end they stop a clock that never saw its act: see
    /// ``RuleEngine/stageEndMasks``.
    public var stageEnds: [EventMatch]?
}

public struct LimitVariant: Sendable, Codable {
    public var when: Condition
    public var limit: Period
    public var note: String?
}

/// How the last day of a period is found.
public enum CountingRule: String, Sendable, Codable {
    /// CPL 105: start day not counted; a last day on a holiday moves to the next working day unless in custody.
    case criminal
    /// CivPL 85: start day not counted; a last day on a holiday always moves to the next working day.
    case civil
}

/// Whether the person is in custody while the clock runs (CPL 105(4) denies the holiday extension then).
public enum CustodyRule: String, Sendable, Codable {
    case always, never
    /// Read from the person's compulsory measures at the clock's last day.
    case person
}

/// An approved extension of a clock: adds to or replaces the limit when approved in time by the right authority.
public struct ExtensionSpec: Sendable, Codable {
    public var name: String
    public var event: EventMatch
    /// A fixed extension.
    public var add: Period?
    /// A new total limit.
    public var to: Period?
    /// Take the length from the event's `extensionDays`/`extensionMonths`, at most `maxAdd`.
    public var fromAttributes: Bool?
    public var maxAdd: Period?
    /// The total limit never exceeds this.
    public var maxTotal: Period?
    public var approver: ApproverSpec?
    /// The event's `legalGround` must be one of these.
    public var grounds: [String]?
    /// How many times this extension may be used.
    public var times: Int?
}

/// Who may approve: relative to the agency that started the clock, or by absolute level.
public struct ApproverSpec: Sendable, Codable, Hashable {
    /// Approver's level must be this many levels above the reference agency (上一级).
    public var levelsAbove: Int?
    /// Approver's level must be at least this.
    public var minLevel: AdministrativeLevel?
    /// Approver must be one of these kinds of agency.
    public var agencyKinds: [AgencyKind]?
    /// The reference agency itself approves (院长批准: the court that tries the case).
    public var sameAgency: Bool?
    /// Only a central organ of the kind approves (最高人民法院批准, CPL 208): the approver must be named in
    /// `attributes.approverAgency` with a central code (``Agency/isCentralCode(_:)``); a label is never enough.
    public var central: Bool?
    /// Chinese description: `上一级人民检察院`.
    public var description: String
}

public struct ExclusionSpec: Sendable, Codable {
    public var name: String
    public var from: EventMatch
    public var to: EventMatch
}

/// "B requires an earlier A", optionally at least some time earlier.
public struct PrecedenceSpec: Sendable, Codable {
    public var event: EventMatch
    public var requires: EventMatch
    /// What is missing, in Chinese: `批准逮捕决定`.
    public var requirement: String
    /// A must come at least this long before B (起诉书副本至迟在开庭十日以前送达, CPL 187).
    public var minLead: Period?
    /// Only events before the first of these are checked (after the court takes the case other rules apply).
    public var onlyBefore: EventMatch?
}

/// "At most N occurrences" (退回补充侦查以二次为限).
public struct CountSpec: Sendable, Codable {
    public var event: EventMatch
    public var max: Int
}

/// "Stage X requires documents D": each triggering event needs a document of the listed types near it.
public struct DocumentSpec: Sendable, Codable {
    public var trigger: EventMatch
    /// Every group must be satisfied by a document of one of its types.
    public var require: [[DocumentType]]
    /// How long before the event the document may be issued.
    public var before: Period
    /// How long after the event the document may be issued.
    public var after: Period
    /// The document must be issued by the agency that acted.
    public var sameIssuer: Bool?
}

/// "An approval must come from the right authority" (延长侦查羁押期限由上一级人民检察院批准).
public struct ApprovalSpec: Sendable, Codable {
    public var event: EventMatch
    /// The event whose agency is the reference for relative levels (the arrest, the filing).
    public var relativeTo: EventMatch
    /// The approval is valid when one alternative accepts it.
    public var alternatives: [ApprovalAlternative]
}

public struct ApprovalAlternative: Sendable, Codable {
    public var grounds: [String]?
    public var approver: ApproverSpec
}

/// A risk lead computed by a named detector with parameters from the pack.
public struct SignalSpec: Sendable, Codable {
    public var detector: SignalDetector
    public var parameters: [String: Int]?
}

/// The signal detectors the engine implements.
public enum SignalDetector: String, Sendable, Codable, CaseIterable {
    /// 捕后不诉: arrested, then not prosecuted.
    case arrestThenNotProsecuted = "arrest_then_not_prosecuted"
    /// 捕后判缓、免刑: arrested, then sentenced with probation, exempted, fined only or acquitted.
    case arrestThenNonCustodialSentence = "arrest_then_non_custodial_sentence"
    /// 拘留后撤案: detained, then the case was withdrawn.
    case detentionThenWithdrawn = "detention_then_withdrawn"
    /// 立而不侦: a filed case with no investigative act for `idleDays`.
    case filedButIdle = "filed_but_idle"
    /// 有案不立、压案不查: an accepted report with no filing decision after `days`.
    case acceptedButNotFiled = "accepted_but_not_filed"
    /// 羁押期限超过刑期: pre-trial custody longer than the sentence finally imposed.
    case custodyExceedsSentence = "custody_exceeds_sentence"
}
