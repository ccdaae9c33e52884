import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingIngest
import TianpingRules
import TianpingWorkflow

/// Escalation of warnings whose step is past its deadline.
extension TianpingStore {
    /// Raises the grade of every open warning whose current step is past its deadline, once per step, and records
    /// it as a step of its own (so that the agency's and the supervisor's queues show it). Returns the ids.
    @discardableResult
    public func escalateOverdueWarnings(now: Int64) async throws -> [String] {
        // Red is the top grade: a red warning past its step deadline shows as overdue in the lists and the overview.
        let notYet: (SQLSelectBuilder) -> SQLSelectBuilder = { select in
            select.where("due_at", .lessThan, now).where("state", .notEqual, WarningState.closed.rawValue).where("grade_rank", .lessThan, 2)
                .where { $0.where("escalated_step", .is, SQLLiteral.null).orWhere("escalated_step", .notEqual, SQLColumn("state_entered_at")) }
        }
        let overdue = try await warnings(where: notYet)
        var escalated: [String] = []
        for warning in overdue {
            let grade = warning.grade.raised(by: 1)
            let done = try await transaction { db in
                // Guarded by everything read above: another escalation, step or re-grade in between makes it match nothing.
                let rows = try await db.update("warnings").set("grade", to: grade.rawValue).set("grade_rank", to: grade.rank)
                    .set("escalations", to: warning.escalations + 1).set("escalated_step", to: warning.stateEnteredAt).set("updated_at", to: now)
                    .where("warning_id", .equal, warning.id).where("state_entered_at", .equal, warning.stateEnteredAt)
                    .where("state", .equal, warning.state.rawValue).where("escalations", .equal, warning.escalations)
                    .where("grade_rank", .equal, warning.grade.rank)
                    .where { $0.where("escalated_step", .is, SQLLiteral.null).orWhere("escalated_step", .notEqual, SQLColumn("state_entered_at")) }
                    .returning("warning_id").all()
                guard !rows.isEmpty else { return false }
                let due = warning.dueAt.map { Timestamp(secondsSinceEpoch: $0).description } ?? "-"
                try await Self.recordTransition(warning.id, at: now, actor: "system", role: "system", from: warning.state, to: warning.state,
                    action: "escalated",
                    comment: "“\(warning.state.chineseName)”已超过办理期限（\(due)），预警由\(warning.grade.chineseName)升级为\(grade.chineseName)",
                    conclusion: nil, db: db)
                var raised = warning
                raised.grade = grade
                try await Self.emit(.escalated, raised, at: now, action: "escalated", db: db)
                return true
            }
            if done { escalated.append(warning.id) }
        }
        return escalated
    }
}
