import TianpingCore

/// One breach of a rule (or one risk lead) on one case, explained and cited.
///
/// `id` is stable across runs — rule, case and the record that anchors the finding — so re-running the
/// engine updates a finding instead of duplicating it, and a finding that disappears was cured.
public struct Finding: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var ruleID: String
    public var caseID: String
    public var kind: FindingKind
    public var severity: Severity
    public var grade: ConfidenceGrade
    /// The agency responsible for complying.
    public var agency: String?
    /// The official who acted (or should have), when the data names one.
    public var officer: String?
    /// The person the rule protects or concerns (the detained suspect).
    public var person: String?
    /// Ids of the event records involved, in time order.
    public var events: [String]
    /// Ids of the document records involved.
    public var documents: [String]
    /// The computed deadline (last instant in time), for deadline rules.
    public var dueAt: Timestamp?
    /// When the act happened; `nil` while it still has not.
    public var actualAt: Timestamp?
    public var lateness: Lateness?
    /// The breach is still going on at the evaluation time (the act has not happened yet).
    public var ongoing: Bool
    /// When the breach happened: the moment the deadline passed or the offending act.
    public var occurredAt: Timestamp
    /// Chinese explanation, citation included.
    public var explanation: String
    public var citation: String

    public static func key(rule: String, caseID: String, anchor: String) -> String { rule + "|" + caseID + "|" + anchor }

    /// The rule id of the dossier log's self-audit, registered in ``RuleCatalogue`` like every other rule.
    public static let ledgerAuditRuleID = "LEDGER-AUDIT"
    public static let ledgerAuditCitation = "RFC 9162 §2.1（Merkle 树哈希）；docs/ledger.md（电子卷宗存证）"

    /// A critical finding of the ledger's self-audit: stored data no longer matches what was logged.
    public static func integrity(id: String, caseID: String, explanation: String, citation: String, at: Timestamp) -> Finding {
        Finding(id: id, ruleID: ledgerAuditRuleID, caseID: caseID, kind: .integrity, severity: .critical, grade: .a, agency: nil,
            officer: nil, person: nil, events: [], documents: [], dueAt: nil, actualAt: nil, lateness: nil, ongoing: true,
            occurredAt: at, explanation: explanation, citation: citation)
    }
}

extension Finding {
    /// A finding raised outside the procedural engine (the sentencing review): no deadline, no lateness.
    public init(id: String, ruleID: String, caseID: String, kind: FindingKind, severity: Severity, grade: ConfidenceGrade,
        agency: String?, person: String?, occurredAt: Timestamp, explanation: String, citation: String)
    {
        self.init(id: id, ruleID: ruleID, caseID: caseID, kind: kind, severity: severity, grade: grade, agency: agency, officer: nil,
            person: person, events: [], documents: [], dueAt: nil, actualAt: nil, lateness: nil, ongoing: false, occurredAt: occurredAt,
            explanation: explanation, citation: citation)
    }
}

/// A statutory clock still running on an open case, and how close it is to its deadline.
public struct RunningClock: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var ruleID: String
    public var caseID: String
    public var agency: String?
    public var person: String?
    public var startedAt: Timestamp
    public var dueAt: Timestamp
    public var dueDay: CalendarDate?
    /// The act that stops the clock, in Chinese (`提请批准逮捕`).
    public var action: String
    public var status: ClockStatus
    /// Seconds left at the evaluation time (negative when overdue).
    public var secondsLeft: Int64
}

/// Early-warning grade of a running clock (事中预警).
public enum ClockStatus: String, Sendable, Codable, CaseIterable, Comparable {
    case normal
    /// 临期 (yellow): within the configured days left.
    case approaching
    /// 即将超期 (orange): one day (or the configured hours) or less left.
    case imminent
    /// 超期 (red).
    case overdue

    public var chineseName: String {
        switch self {
        case .normal: return "正常"
        case .approaching: return "临期"
        case .imminent: return "即将超期"
        case .overdue: return "超期"
        }
    }

    public var colour: String {
        switch self {
        case .normal: return "green"
        case .approaching: return "yellow"
        case .imminent: return "orange"
        case .overdue: return "red"
        }
    }

    var rank: Int {
        switch self {
        case .normal: return 0
        case .approaching: return 1
        case .imminent: return 2
        case .overdue: return 3
        }
    }

    public static func < (lhs: ClockStatus, rhs: ClockStatus) -> Bool { lhs.rank < rhs.rank }
}

/// When a running clock turns yellow and orange. A province sets these in its configuration.
public struct ClockThresholds: Sendable, Codable, Hashable {
    /// 临期 when this many days or fewer are left (day-counted clocks).
    public var approachingDays: Int
    /// 即将超期 when this many days or fewer are left.
    public var imminentDays: Int
    /// 临期 for hour-counted clocks (24-hour limits).
    public var approachingHours: Int
    /// 即将超期 for hour-counted clocks.
    public var imminentHours: Int

    public init(approachingDays: Int = 3, imminentDays: Int = 1, approachingHours: Int = 12, imminentHours: Int = 4) {
        self.approachingDays = approachingDays
        self.imminentDays = imminentDays
        self.approachingHours = approachingHours
        self.imminentHours = imminentHours
    }
}

/// What the engine found on one case at one moment.
public struct CaseEvaluation: Sendable {
    public var caseID: String
    public var asOf: Timestamp
    public var findings: [Finding]
    public var clocks: [RunningClock]

    public init(caseID: String, asOf: Timestamp, findings: [Finding], clocks: [RunningClock]) {
        self.caseID = caseID
        self.asOf = asOf
        self.findings = findings
        self.clocks = clocks
    }
}
