import Testing
import TianpingAccess
import TianpingCore
@testable import TianpingRules
import TianpingWorkflow

@Suite("Warnings: aggregation, grading and the closed loop")
struct WorkflowTests {
    static func finding(_ id: String, case caseID: String, agency: String?, severity: Severity, late: Lateness? = nil,
        kind: FindingKind = .violation) -> Finding
    {
        Finding(id: id, ruleID: "R", caseID: caseID, kind: kind, severity: severity, grade: .a, agency: agency, officer: nil, person: nil,
            events: [], documents: [], dueAt: nil, actualAt: nil, lateness: late, ongoing: false,
            occurredAt: Timestamp(secondsSinceEpoch: 0), explanation: "", citation: "")
    }

    @Test("one warning per case and responsible agency, graded by severity, count and lateness")
    func aggregation() {
        let policy = GradingPolicy()
        let findings = [
            Self.finding("a", case: "C1", agency: "520102GA01", severity: .medium, late: Lateness(amount: 2, unit: .days)),
            Self.finding("b", case: "C1", agency: "520102GA01", severity: .low),
            Self.finding("c", case: "C1", agency: "520102JC01", severity: .medium, late: Lateness(amount: 30, unit: .hours)),
            Self.finding("d", case: "C2", agency: "520102FY01", severity: .critical),
            Self.finding("e", case: "C3", agency: nil, severity: .low, late: Lateness(amount: 40, unit: .days)),
            Self.finding("f", case: "C4", agency: "520102GA01", severity: .critical, kind: .integrity),
        ]
        let warnings = policy.warnings(from: findings)
        #expect(warnings.map(\.id) == ["C1|520102GA01", "C1|520102JC01", "C2|520102FY01", "C3|-"], "integrity findings are not an agency's warning")
        #expect(warnings[0].findingIDs == ["a", "b"])
        #expect(warnings[0].grade == .orange, "two findings")
        #expect(warnings[1].grade == .yellow)
        #expect(warnings[1].overdueDays == 2, "30 hours late counts as two days")
        #expect(warnings[2].grade == .red, "a critical finding")
        #expect(warnings[3].grade == .red, "40 days overdue")
        #expect(policy.grade(maxSeverity: .high, count: 1, overdueDays: 0) == .orange)
        #expect(policy.grade(maxSeverity: .low, count: 3, overdueDays: 0) == .red)
        #expect(policy.grade(maxSeverity: .low, count: 1, overdueDays: 7) == .orange)
        #expect(GradingPolicy(redFindingCount: 10).grade(maxSeverity: .low, count: 3, overdueDays: 0) == .orange, "configurable")
    }

    @Test("the loop: push, verify, conclude, rectify, close; an unsubstantiated warning closes without rectification")
    func lifecycle() throws {
        var state = WarningState.pendingPush
        state = try WarningLifecycle.next(from: state, .push)
        state = try WarningLifecycle.next(from: state, .accept)
        #expect(state == .verifying)
        #expect(throws: LifecycleError.self) { try WarningLifecycle.next(from: .verifying, .conclude) }
        state = try WarningLifecycle.next(from: state, .conclude, conclusion: .substantiated)
        #expect(state == .concluded)
        #expect(throws: LifecycleError.self) {
            try WarningLifecycle.next(from: .concluded, .close, previousConclusion: .substantiated)
        }
        // A supervisor returns the conclusion; the agency verifies again.
        #expect(try WarningLifecycle.next(from: .concluded, .returnForReverification) == .verifying)
        state = try WarningLifecycle.next(from: .concluded, .startRectification, previousConclusion: .partlySubstantiated)
        state = try WarningLifecycle.next(from: state, .reportRectified)
        #expect(state == .rectified)
        #expect(try WarningLifecycle.next(from: .rectified, .returnForReverification) == .rectifying, "rectification not accepted")
        #expect(try WarningLifecycle.next(from: .rectified, .close) == .closed)
        #expect(try WarningLifecycle.next(from: .concluded, .close, previousConclusion: .unsubstantiated) == .closed)
        #expect(throws: LifecycleError.self) {
            try WarningLifecycle.next(from: .concluded, .startRectification, previousConclusion: .unsubstantiated)
        }
        // Nothing leaves a closed warning, and steps cannot be skipped.
        for action in WarningAction.allCases {
            #expect(throws: LifecycleError.self) { try WarningLifecycle.next(from: .closed, action) }
        }
        #expect(throws: LifecycleError.self) { try WarningLifecycle.next(from: .pendingPush, .accept) }
        #expect(throws: LifecycleError.self) { try WarningLifecycle.next(from: .pushed, .close) }
    }

    @Test("who acts, and each step's own deadline")
    func rolesAndDeadlines() {
        #expect(WarningAction.push.roles.contains(.committeeSupervisor))
        #expect(!WarningAction.push.roles.contains(.caseOfficer))
        #expect(WarningAction.conclude.roles.contains(.caseOfficer))
        #expect(!WarningAction.conclude.roles.contains(.leader))
        #expect(WarningAction.allCases.allSatisfy { !$0.roles.contains(.leader) && !$0.roles.contains(.systemAdministrator) },
            "leaders read, administrators administer: neither acts on a warning")
        let deadlines = StepDeadlines()
        #expect(deadlines.dueAt(.verifying, enteredAt: 0) == Int64(15 * 86_400))
        #expect(deadlines.dueAt(.closed, enteredAt: 0) == nil)
        #expect(deadlines.isOverdue(.pushed, enteredAt: 0, now: 3 * 86_400 + 1))
        #expect(!deadlines.isOverdue(.pushed, enteredAt: 0, now: 3 * 86_400))
        #expect(StepDeadlines(days: [.verifying: 10]).dueAt(.verifying, enteredAt: 100) == Int64(100 + 10 * 86_400))
    }
}
