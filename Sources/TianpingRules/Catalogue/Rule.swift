import TianpingCore

/// One rule of a rule pack: what it checks, why (its legal basis), how sure we are of it, and how serious a breach is.
///
/// Exactly one of the form fields (`deadline`, `precedence`, `count`, `documents`, `approval`, `signal`) is set.
public struct Rule: Sendable, Codable, Identifiable {
    /// Stable identifier, the id of the rule in `shared/domain` where it has one (`M4`, `I1`, `T3`).
    public var id: String
    /// Short Chinese name shown in lists (`拘留后通知家属期限`).
    public var name: String
    /// What the rule checks, in Chinese.
    public var description: String
    public var legalBasis: [Citation]
    public var grade: ConfidenceGrade
    public var severity: Severity
    public var scope: RuleScope
    /// Grade-C rules ship disabled; a province enables them once a person has confirmed the value.
    public var enabled: Bool
    /// Kind of agency responsible for complying (the one a finding is addressed to); `nil` means the agency
    /// that took the triggering decision (the organ that granted bail answers for its length).
    public var responsibleAgency: AgencyKind?
    /// Ranges inside which a province may change this rule's numbers (national law sets the bounds).
    public var adjustable: Adjustable?
    /// Why the rule is shaped as it is where the statute leaves room (assumptions, what the data cannot show).
    public var note: String?

    public var deadline: DeadlineSpec?
    public var precedence: PrecedenceSpec?
    public var count: CountSpec?
    public var documents: DocumentSpec?
    public var approval: ApprovalSpec?
    public var signal: SignalSpec?

    /// Violations are breaches of a rule; signals are risk leads for a person to look at.
    public var findingKind: FindingKind { signal == nil ? .violation : .signal }

    /// The citation text: `《刑事诉讼法》第九十一条第一款；《公安机关办理刑事案件程序规定》第一百二十九条`.
    public var citationText: String { legalBasis.map(\.text).joined(separator: "；") }

    var formCount: Int {
        [deadline != nil, precedence != nil, count != nil, documents != nil, approval != nil, signal != nil]
            .filter { $0 }.count
    }
}

/// A legal source: the law (without book-title marks) and the article.
public struct Citation: Hashable, Sendable, Codable {
    public var law: String
    public var article: String

    public init(law: String, article: String) {
        self.law = law
        self.article = article
    }

    public var text: String { "《\(law)》\(article)" }
}

/// How well a rule's numbers have been checked (`shared/domain/procedure-deadlines.md`).
public enum ConfidenceGrade: String, Sendable, Codable, CaseIterable, Comparable {
    /// Checked against the official text.
    case a = "A"
    /// Checked against two or more consistent secondary sources.
    case b = "B"
    /// Unconfirmed: may not raise alerts until a person confirms it.
    case c = "C"

    public static func < (lhs: ConfidenceGrade, rhs: ConfidenceGrade) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    public var chineseName: String {
        switch self {
        case .low: return "低"
        case .medium: return "中"
        case .high: return "高"
        case .critical: return "严重"
        }
    }

    var rank: Int {
        switch self {
        case .low: return 0
        case .medium: return 1
        case .high: return 2
        case .critical: return 3
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

public enum FindingKind: String, Sendable, Codable, CaseIterable {
    /// A breach of a statutory rule.
    case violation
    /// A risk lead (捕后不诉, 立而不侦 …): not a breach by itself.
    case signal
    /// Stored data no longer matches the tamper-evident log (raised by the ledger's self-audit, not by a rule).
    case integrity

    public var chineseName: String {
        switch self {
        case .violation: return "违规"
        case .signal: return "风险线索"
        case .integrity: return "数据完整性告警"
        }
    }
}

/// Which cases a rule applies to.
public struct RuleScope: Sendable, Codable, Hashable {
    public var caseTypes: [CaseType]
    /// Trial procedures the rule applies to (from the triggering event, else the case); empty means any.
    public var procedures: [TrialProcedure]?
    /// Trial procedures the rule does not apply to, when the procedure is known.
    public var excludeProcedures: [TrialProcedure]?
    /// The case must carry one of these flags.
    public var flagsAny: [String]?
    /// The case must carry none of these flags.
    public var flagsNone: [String]?
    /// A stage label for people (`侦查`, `审查起诉`, `审判`, `执行`).
    public var stage: String
}

/// What a province may change, and within which national bounds.
public struct Adjustable: Sendable, Codable, Hashable {
    public var limit: ClosedPeriodRange?
    public var parameters: [String: ClosedIntRange]?
}

public struct ClosedPeriodRange: Sendable, Codable, Hashable {
    public var min: Period
    public var max: Period
}

public struct ClosedIntRange: Sendable, Codable, Hashable {
    public var min: Int
    public var max: Int
}
