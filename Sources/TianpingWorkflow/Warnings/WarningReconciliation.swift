import TianpingCore
import TianpingRules

/// The decision half of re-aggregating warnings: given the warnings stored for some cases and the drafts their open
/// findings make now, which to open, which to update (and whether that is news for the agency), and which to close
/// automatically — a pure value, tested without a database, that the store writes in one transaction.
public struct WarningReconciliation: Sendable {
    /// A stored warning as the plan needs it.
    public struct Stored: Sendable, Hashable {
        public var id: String
        public var grade: WarningGrade
        public var state: WarningState
        public var findingIDs: [String]
        public var maxSeverity: Severity
        public var overdueDays: Int
        public var region: String?
        /// Overdue steps that raised the grade; re-aggregation keeps them.
        public var escalations: Int

        public init(id: String, grade: WarningGrade, state: WarningState, findingIDs: [String], maxSeverity: Severity, overdueDays: Int,
            region: String?, escalations: Int)
        {
            self.id = id
            self.grade = grade
            self.state = state
            self.findingIDs = findingIDs
            self.maxSeverity = maxSeverity
            self.overdueDays = overdueDays
            self.region = region
            self.escalations = escalations
        }
    }

    /// A stored warning that takes a draft's findings and grade.
    public struct Update: Sendable, Hashable {
        public var id: String
        public var draft: WarningDraft
        /// The draft's grade raised by the warning's escalations.
        public var grade: WarningGrade
        public var region: String?
        /// A new grade or other findings: news for the agency (an event is sent). Days overdue growing is not.
        public var isNews: Bool
    }

    /// Case–agency pairs seen for the first time: a warning opens, waiting to be pushed.
    public var opens: [(draft: WarningDraft, region: String?)] = []
    public var updates: [Update] = []
    /// Warnings not yet pushed whose findings were all resolved: closed by the system.
    public var autoCloses: [String] = []

    /// The comment recorded on an automatic closing.
    public static let autoCloseComment = "推送前相关风险发现均已销号，系统自动办结"

    /// Plans the re-aggregation. `regions` holds the cases' current regions (a warning follows its case's region).
    public init(drafts: [WarningDraft], stored: [Stored], regions: [String: String]) {
        let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let wanted = Set(drafts.map(\.id))
        for draft in drafts {
            let region = regions[draft.caseID]
            guard let old = byID[draft.id] else {
                opens.append((draft, region))
                continue
            }
            let grade = draft.grade.raised(by: old.escalations)
            let newRegion = region ?? old.region
            let news = grade != old.grade || draft.findingIDs != old.findingIDs
            guard news || draft.overdueDays != old.overdueDays || draft.maxSeverity != old.maxSeverity || newRegion != old.region else {
                continue
            }
            updates.append(Update(id: old.id, draft: draft, grade: grade, region: newRegion, isNews: news))
        }
        // Only a warning no one has acted on closes by itself; one in the loop stays until a supervisor closes it.
        autoCloses = stored.filter { !wanted.contains($0.id) && $0.state == .pendingPush }.map(\.id).sorted()
    }
}
