import TianpingCore
import TianpingRules

/// 预警: the open findings of one case for which one agency is responsible, graded and carried through the closed
/// loop (推送 → 核查 → 整改 → 办结). One per case and responsible agency, so that each agency answers for its own acts.
public struct WarningDraft: Sendable, Hashable, Identifiable {
    /// `caseID|agency` (agency `-` when no finding names one): stable, so re-aggregation updates rather than duplicates.
    public var id: String
    public var caseID: String
    public var agency: String
    public var findingIDs: [String]
    public var grade: WarningGrade
    public var maxSeverity: Severity
    /// The longest lateness among the findings, in whole days (hours rounded up).
    public var overdueDays: Int

    public init(id: String, caseID: String, agency: String, findingIDs: [String], grade: WarningGrade, maxSeverity: Severity,
        overdueDays: Int)
    {
        self.id = id
        self.caseID = caseID
        self.agency = agency
        self.findingIDs = findingIDs
        self.grade = grade
        self.maxSeverity = maxSeverity
        self.overdueDays = overdueDays
    }

    public static func id(caseID: String, agency: String?) -> String { caseID + "|" + (agency ?? "-") }
}

/// 红 / 橙 / 黄.
public enum WarningGrade: String, Sendable, Codable, CaseIterable, Comparable {
    case yellow
    case orange
    case red

    public var chineseName: String {
        switch self {
        case .yellow: return "黄色"
        case .orange: return "橙色"
        case .red: return "红色"
        }
    }

    /// 0, 1, 2: the stored sort key (worst first on an index).
    public var rank: Int { self == .yellow ? 0 : self == .orange ? 1 : 2 }
    public init(rank: Int) { self = rank <= 0 ? .yellow : rank == 1 ? .orange : .red }
    public static func < (a: WarningGrade, b: WarningGrade) -> Bool { a.rank < b.rank }

    /// One grade higher per escalation of an overdue step, red at most.
    public func raised(by steps: Int) -> WarningGrade { WarningGrade(rank: min(2, rank + max(0, steps))) }
}

/// When a warning is red or orange: by the worst severity, the number of open findings, or how overdue the worst
/// one is. A platform default that a province sets in its configuration (no statute fixes these grades).
public struct GradingPolicy: Sendable, Codable, Hashable {
    public var redSeverity: Severity
    public var redFindingCount: Int
    public var redOverdueDays: Int
    public var orangeSeverity: Severity
    public var orangeFindingCount: Int
    public var orangeOverdueDays: Int

    public init(redSeverity: Severity = .critical, redFindingCount: Int = 3, redOverdueDays: Int = 30,
        orangeSeverity: Severity = .high, orangeFindingCount: Int = 2, orangeOverdueDays: Int = 7)
    {
        self.redSeverity = redSeverity
        self.redFindingCount = redFindingCount
        self.redOverdueDays = redOverdueDays
        self.orangeSeverity = orangeSeverity
        self.orangeFindingCount = orangeFindingCount
        self.orangeOverdueDays = orangeOverdueDays
    }

    public func grade(maxSeverity: Severity, count: Int, overdueDays: Int) -> WarningGrade {
        if maxSeverity >= redSeverity || count >= redFindingCount || overdueDays >= redOverdueDays { return .red }
        if maxSeverity >= orangeSeverity || count >= orangeFindingCount || overdueDays >= orangeOverdueDays { return .orange }
        return .yellow
    }

    /// Groups open findings into one warning per case and responsible agency (integrity findings of the ledger's
    /// self-audit are not about an agency's conduct and are left out).
    public func warnings(from findings: [Finding]) -> [WarningDraft] {
        var groups: [String: [Finding]] = [:]
        for f in findings where f.kind != .integrity { groups[WarningDraft.id(caseID: f.caseID, agency: f.agency), default: []].append(f) }
        return groups.map { id, group in
            let sorted = group.sorted { $0.id < $1.id }
            let severity = sorted.map(\.severity).max() ?? .low
            let overdue = sorted.compactMap(\.lateness).map { $0.unit == .days ? $0.amount : ($0.amount + 23) / 24 }.max() ?? 0
            return WarningDraft(id: id, caseID: sorted[0].caseID, agency: sorted[0].agency ?? "-", findingIDs: sorted.map(\.id),
                grade: grade(maxSeverity: severity, count: sorted.count, overdueDays: overdue), maxSeverity: severity,
                overdueDays: overdue)
        }.sorted { $0.id < $1.id }
    }
}
