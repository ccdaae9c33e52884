import TianpingCore
import TianpingRules
import TianpingWorkflow
import Testing

/// The decisions of re-aggregating warnings, without a database.
@Suite("Warning reconciliation plan")
struct WarningReconciliationTests {
    func draft(_ caseID: String, findings: [String], grade: WarningGrade = .yellow, overdue: Int = 0) -> WarningDraft {
        WarningDraft(id: WarningDraft.id(caseID: caseID, agency: "520102GA01"), caseID: caseID, agency: "520102GA01", findingIDs: findings,
            grade: grade, maxSeverity: .medium, overdueDays: overdue)
    }

    func stored(_ d: WarningDraft, state: WarningState = .pendingPush, escalations: Int = 0, region: String? = "520102")
        -> WarningReconciliation.Stored
    {
        .init(id: d.id, grade: d.grade.raised(by: escalations), state: state, findingIDs: d.findingIDs, maxSeverity: d.maxSeverity,
            overdueDays: d.overdueDays, region: region, escalations: escalations)
    }

    @Test("a new pair opens; new findings are news; growing lateness updates quietly; escalations are kept")
    func updates() {
        let fresh = draft("C1", findings: ["F1"])
        let grown = draft("C2", findings: ["F2"], overdue: 5)
        let more = draft("C3", findings: ["F3", "F4"])
        let escalated = draft("C4", findings: ["F5"], grade: .yellow)
        let same = draft("C5", findings: ["F6"])
        let plan = WarningReconciliation(drafts: [fresh, grown, more, escalated, same], stored: [
            stored(draft("C2", findings: ["F2"], overdue: 4)), stored(draft("C3", findings: ["F3"])),
            stored(escalated, escalations: 2), stored(same),
        ], regions: ["C1": "520102", "C2": "520102", "C3": "520102", "C4": "520102", "C5": "520102"])
        #expect(plan.opens.map(\.draft.id) == [fresh.id])
        let updates = Dictionary(uniqueKeysWithValues: plan.updates.map { ($0.id, $0) })
        #expect(updates[grown.id]?.isNews == false, "one more day overdue is not news")
        #expect(updates[more.id]?.isNews == true)
        #expect(updates[escalated.id] == nil, "an escalated warning keeps its raised grade and is unchanged")
        #expect(updates[same.id] == nil)
        #expect(plan.autoCloses.isEmpty)
    }

    @Test("only a warning nobody has acted on closes by itself when its findings are gone; a moved case moves its warning")
    func autoCloseAndRegion() {
        let pending = draft("C1", findings: ["F1"])
        let pushed = draft("C2", findings: ["F2"])
        let moved = draft("C3", findings: ["F3"])
        let plan = WarningReconciliation(drafts: [moved], stored: [stored(pending), stored(pushed, state: .pushed), stored(moved)],
            regions: ["C3": "520103"])
        #expect(plan.autoCloses == [pending.id])
        #expect(plan.updates.first?.region == "520103" && plan.updates.first?.isNews == false)
    }
}
