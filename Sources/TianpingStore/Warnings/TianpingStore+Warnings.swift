import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingWorkflow

/// A warning as stored.
public struct StoredWarning: Sendable, Hashable, Codable {
    public var id: String
    public var caseID: String
    public var agency: String
    public var grade: WarningGrade
    public var state: WarningState
    public var findingIDs: [String]
    public var maxSeverity: Severity
    public var overdueDays: Int
    public var conclusion: VerificationConclusion?
    public var stateEnteredAt: Int64
    /// The current step's deadline; `nil` once closed.
    public var dueAt: Int64?
    public var region: String?
    /// How many overdue steps raised the grade (each one grade, red at most).
    public var escalations: Int = 0
    public var updatedAt: Int64 = 0
}

/// One step of a warning, as recorded.
public struct WarningTransition: Sendable, Hashable, Codable {
    public var id: Int64 = 0
    public var at: Int64
    public var actor: String
    public var role: String
    public var from: WarningState?
    public var to: WarningState
    public var action: String
    public var comment: String?
    public var conclusion: VerificationConclusion?
}

extension TianpingStore {
    /// Re-aggregates the warnings of some cases from their open findings: a new case–agency pair opens a warning
    /// (待推送), an existing one takes the new findings and grade, and a warning not yet pushed whose findings were all
    /// resolved is closed by the system. Warnings already in the loop stay until a supervisor closes them.
    public func refreshWarnings(caseIDs: [String], policy: GradingPolicy = GradingPolicy(), deadlines: StepDeadlines = StepDeadlines(),
        now: Int64) async throws
    {
        try await refreshWarnings(caseIDs: caseIDs, policy: policy, deadlines: deadlines, now: now, regions: nil)
    }

    /// `regions`: the cases' regions when the caller has just read them (``sync`` does).
    func refreshWarnings(caseIDs: [String], policy: GradingPolicy = GradingPolicy(), deadlines: StepDeadlines = StepDeadlines(),
        now: Int64, regions known: [String: String]?) async throws
    {
        guard !caseIDs.isEmpty else { return }
        var findings: [Finding] = []
        let decoder = JSONDecoder()
        for chunk in caseIDs.chunked(500) {
            for row in try await writer.select().column("body").from("findings").where("status", .equal, "open")
                .where("case_id", .in, Array(chunk)).all()
            {
                findings.append(try decoder.decode(Finding.self, from: Data(try row.decode(column: "body", as: String.self).utf8)))
            }
        }
        let drafts = policy.warnings(from: findings)
        var regions = known ?? [:]
        if known == nil { regions = try await caseRegions(caseIDs) }
        let caseRegion = regions
        try await transaction { db in
            // Read inside the transaction, so that an escalation or a step cannot slip in between read and write.
            var stored: [StoredWarning] = []
            for chunk in caseIDs.chunked(500) {
                stored += try await self.warnings(on: db, where: { $0.where("case_id", .in, Array(chunk)) })
            }
            let byID = Dictionary(stored.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let plan = WarningReconciliation(drafts: drafts, stored: stored.map {
                WarningReconciliation.Stored(id: $0.id, grade: $0.grade, state: $0.state, findingIDs: $0.findingIDs, maxSeverity: $0.maxSeverity,
                    overdueDays: $0.overdueDays, region: $0.region, escalations: $0.escalations)
            }, regions: caseRegion)
            // In the drafts' order, as before the plan existed: the event stream and webhooks keep their order.
            let updates = Dictionary(uniqueKeysWithValues: plan.updates.map { ($0.id, $0) })
            let opens = Dictionary(uniqueKeysWithValues: plan.opens.map { ($0.draft.id, $0.region) })
            for draft in drafts {
                if let u = updates[draft.id] {
                    try await db.update("warnings").set("grade", to: u.grade.rawValue).set("grade_rank", to: u.grade.rank)
                        .set("finding_ids", to: u.draft.findingIDs.joined(separator: ",")).set("finding_count", to: u.draft.findingIDs.count)
                        .set("max_severity", to: u.draft.maxSeverity.rawValue).set("overdue_days", to: u.draft.overdueDays)
                        .set("region", to: u.region).set("updated_at", to: now).where("warning_id", .equal, u.id).run()
                    if u.isNews, var changed = byID[u.id] {
                        changed.grade = u.grade
                        changed.findingIDs = u.draft.findingIDs
                        changed.region = u.region
                        try await Self.emit(.changed, changed, at: now, db: db)
                    }
                } else if let region = opens[draft.id] {
                    try await db.insert(into: "warnings")
                        .columns("warning_id", "case_id", "agency", "region", "grade", "grade_rank", "state", "finding_ids", "finding_count",
                            "max_severity", "overdue_days", "state_entered_at", "due_at", "created_at", "updated_at", "escalations")
                        .values(SQLBind(draft.id), SQLBind(draft.caseID), SQLBind(draft.agency), SQLBind(region),
                            SQLBind(draft.grade.rawValue), SQLBind(draft.grade.rank), SQLBind(WarningState.pendingPush.rawValue),
                            SQLBind(draft.findingIDs.joined(separator: ",")), SQLBind(draft.findingIDs.count), SQLBind(draft.maxSeverity.rawValue),
                            SQLBind(draft.overdueDays), SQLBind(now), SQLBind(deadlines.dueAt(.pendingPush, enteredAt: now)), SQLBind(now),
                            SQLBind(now), SQLBind(0))
                        .run()
                    try await Self.recordTransition(draft.id, at: now, actor: "system", role: "system", from: nil, to: .pendingPush,
                        action: "opened", comment: "由 \(draft.findingIDs.count) 条风险发现汇聚生成（\(draft.grade.chineseName)预警）", conclusion: nil, db: db)
                    try await Self.emit(.opened, StoredWarning(id: draft.id, caseID: draft.caseID, agency: draft.agency, grade: draft.grade,
                        state: .pendingPush, findingIDs: draft.findingIDs, maxSeverity: draft.maxSeverity, overdueDays: draft.overdueDays,
                        conclusion: nil, stateEnteredAt: now, dueAt: deadlines.dueAt(.pendingPush, enteredAt: now), region: region,
                        updatedAt: now), at: now, db: db)
                }
            }
            for id in plan.autoCloses {
                try await db.update("warnings").set("state", to: WarningState.closed.rawValue).set("due_at", to: SQLLiteral.null)
                    .set("state_entered_at", to: now).set("updated_at", to: now).set("finding_ids", to: "").set("finding_count", to: 0)
                    .where("warning_id", .equal, id).where("state", .equal, WarningState.pendingPush.rawValue).run()
                try await Self.recordTransition(id, at: now, actor: "system", role: "system", from: .pendingPush, to: .closed,
                    action: "auto_closed", comment: WarningReconciliation.autoCloseComment, conclusion: nil, db: db)
                if var closed = byID[id] {
                    closed.state = .closed
                    closed.dueAt = nil
                    try await Self.emit(.transition, closed, at: now, action: "auto_closed", db: db)
                }
            }
        }
    }

    /// Moves a warning one step, if the lifecycle allows it and the caller may take that action on it: supervisors
    /// act within their scope; the responsible agency's staff act on their own agency's warnings only.
    @discardableResult
    public func transitionWarning(_ id: String, action: WarningAction, conclusion: VerificationConclusion? = nil, comment: String?,
        attachments: [NewAttachment] = [], by principal: Principal, deadlines: StepDeadlines = StepDeadlines(),
        documents renderer: WarningDocumentRenderer? = nil, now: Int64) async throws -> StoredWarning
    {
        guard let warning = try await warning(id, scope: principal.scope) else { throw WarningError.notFound(id) }
        if let why = WarningPolicy.refusal(action, by: principal, warningAgency: warning.agency) { throw WarningError.forbidden(why) }
        if let why = WarningPolicy.commentRefusal(action, comment: comment) { throw WarningError.invalidTransition(why) }
        let next: WarningState
        do {
            next = try WarningLifecycle.next(from: warning.state, action, conclusion: conclusion, previousConclusion: warning.conclusion)
        } catch {
            throw WarningError.invalidTransition(error.message)
        }
        if !attachments.isEmpty, action != .conclude, action != .reportRectified {
            throw WarningError.invalidTransition("只有提交核查结论和报告整改完成时可以附加材料")
        }
        for a in attachments { try a.validate() }
        let newConclusion = action == .conclude ? conclusion : warning.conclusion
        let dialect = self.dialect
        let documentKind = WarningDocument.Kind.issued(by: action, from: warning.state)
        // The file is masked as the workbench shows the document (internal masks), read before the transaction.
        let masker = renderer == nil || documentKind == nil ? nil
            : try await freeTextMaskers(forCases: [warning.caseID])[warning.caseID] ?? .patterns
        let render = renderer.flatMap { r in masker.map { (r, $0) } }
        try await transaction { db in
            // Guarded by the state read above: a concurrent step makes this update match nothing, and the step fails.
            let moved = try await db.update("warnings").set("state", to: next.rawValue).set("state_entered_at", to: now)
                .set("due_at", to: deadlines.dueAt(next, enteredAt: now)).set("conclusion", to: newConclusion?.rawValue)
                .set("updated_at", to: now).where("warning_id", .equal, id).where("state", .equal, warning.state.rawValue)
                .returning("warning_id").all()
            guard !moved.isEmpty else { throw WarningError.invalidTransition("预警状态已被他人更新，请刷新后重试") }
            let transition = try await Self.recordTransition(id, at: now, actor: principal.name, role: principal.roleName, from: warning.state,
                to: next, action: action.rawValue, comment: comment, conclusion: action == .conclude ? conclusion : nil, db: db)
            for a in attachments {
                try await db.insert(into: "warning_attachments")
                    .columns("warning_id", "transition_id", "filename", "content_type", "size", "sha256", "data", "uploaded_by", "at")
                    .values(SQLBind(id), SQLBind(transition), SQLBind(a.filename), SQLBind(a.contentType), SQLBind(a.data.count),
                        SQLBind(a.sha256), SQLBind(Data(a.data)), SQLBind(principal.name), SQLBind(now))
                    .run()
            }
            if let documentKind {
                try await Self.issueDocument(documentKind, warning: warning, issuer: principal.agency, issuedBy: principal.name, at: now,
                    dueAt: documentKind == .closureNotice ? nil : deadlines.dueAt(next, enteredAt: now), comment: comment,
                    conclusion: newConclusion, render: render, dialect: dialect, db: db)
            }
            var moved1 = warning
            moved1.state = next
            moved1.conclusion = newConclusion
            moved1.dueAt = deadlines.dueAt(next, enteredAt: now)
            try await Self.emit(.transition, moved1, at: now, action: action.rawValue, db: db)
        }
        return try await self.warning(id) ?? warning
    }

    /// Appends one step to a warning's record and returns its id (attachments refer to it).
    @discardableResult
    static func recordTransition(_ id: String, at: Int64, actor: String, role: String, from: WarningState?, to: WarningState,
        action: String, comment: String?, conclusion: VerificationConclusion?, db: any SQLDatabase) async throws -> Int64
    {
        try await db.insert(into: "warning_transitions")
            .columns("warning_id", "at", "actor", "role", "from_state", "to_state", "action", "comment", "conclusion")
            .values(SQLBind(id), SQLBind(at), SQLBind(actor), SQLBind(role), SQLBind(from?.rawValue), SQLBind(to.rawValue),
                SQLBind(action), SQLBind(comment), SQLBind(conclusion?.rawValue))
            .returning("id").first()?.decode(column: "id", as: Int64.self) ?? 0
    }

    public func warning(_ id: String) async throws -> StoredWarning? {
        try await warnings(where: { $0.where("warning_id", .equal, id) }).first
    }

    /// A warning whose case is in the scope; `nil` otherwise (callers answer 404 either way).
    public func warning(_ id: String, scope: DataScope) async throws -> StoredWarning? {
        guard let warning = try await warning(id), try await caseVisible(warning.caseID, scope: scope) else { return nil }
        return warning
    }

    /// Warnings in a scope, worst first (red before orange, then the most overdue), at most `limit`.
    public func warnings(state: WarningState? = nil, scope: DataScope, limit: Int = 500) async throws -> [StoredWarning] {
        try await warningPage(WarningListQuery(state: state), page: 1, pageSize: limit, scope: scope, now: 0).items
    }

    public func warningTransitions(_ id: String) async throws -> [WarningTransition] {
        try await writer.select().columns("*").from("warning_transitions").where("warning_id", .equal, id).orderBy("id").all().map { row in
            WarningTransition(id: try row.decode(column: "id", as: Int64.self), at: try row.decode(column: "at", as: Int64.self), actor: try row.decode(column: "actor", as: String.self),
                role: try row.decode(column: "role", as: String.self),
                from: try row.decode(column: "from_state", as: String?.self).flatMap(WarningState.init(rawValue:)),
                to: try WarningState(rawValue: row.decode(column: "to_state", as: String.self)).orThrow(StoreError.corrupt("预警状态无法识别")),
                action: try row.decode(column: "action", as: String.self), comment: try row.decode(column: "comment", as: String?.self),
                conclusion: try row.decode(column: "conclusion", as: String?.self).flatMap(VerificationConclusion.init(rawValue:)))
        }
    }

    /// Reads warnings from the writer unless told otherwise (a step re-reads what it just wrote).
    func warnings(on database: (any SQLDatabase)? = nil, where filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [StoredWarning] {
        let rows = try await filter((database ?? writer).select().columns("*").from("warnings")).all()
        return try rows.map { row in
            StoredWarning(id: try row.decode(column: "warning_id", as: String.self), caseID: try row.decode(column: "case_id", as: String.self),
                agency: try row.decode(column: "agency", as: String.self),
                grade: try WarningGrade(rawValue: row.decode(column: "grade", as: String.self)).orThrow(StoreError.corrupt("预警等级无法识别")),
                state: try WarningState(rawValue: row.decode(column: "state", as: String.self)).orThrow(StoreError.corrupt("预警状态无法识别")),
                findingIDs: try row.decode(column: "finding_ids", as: String.self).split(separator: ",").map(String.init),
                maxSeverity: Severity(rawValue: try row.decode(column: "max_severity", as: String.self)) ?? .low,
                overdueDays: try row.decode(column: "overdue_days", as: Int.self),
                conclusion: try row.decode(column: "conclusion", as: String?.self).flatMap(VerificationConclusion.init(rawValue:)),
                stateEnteredAt: try row.decode(column: "state_entered_at", as: Int64.self), dueAt: try row.decode(column: "due_at", as: Int64?.self),
                region: try row.decode(column: "region", as: String?.self), escalations: try row.decode(column: "escalations", as: Int?.self) ?? 0,
                updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
    }

    /// The 案号 shown for each of these cases that has one (lists show it beside, or instead of, the unified id).
    public func caseNumbers(_ ids: some Collection<String>) async throws -> [String: String] {
        var result: [String: String] = [:]
        for chunk in Array(Set(ids)).sorted().chunked(500) {
            for row in try await reader.select().columns("case_id", "case_number").from("cases").where("case_id", .in, Array(chunk)).all() {
                if let number = try row.decode(column: "case_number", as: String?.self) {
                    result[try row.decode(column: "case_id", as: String.self)] = number
                }
            }
        }
        return result
    }

    func caseRegions(_ ids: [String]) async throws -> [String: String] {
        var result: [String: String] = [:]
        for chunk in ids.chunked(500) {
            for row in try await reader.select().columns("case_id", "region").from("cases").where("case_id", .in, Array(chunk)).all() {
                result[try row.decode(column: "case_id", as: String.self)] = try row.decode(column: "region", as: String.self)
            }
        }
        return result
    }
}

/// Why a warning could not be moved.
public enum WarningError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case forbidden(String)
    case invalidTransition(String)

    public var description: String {
        switch self {
        case .notFound(let id): return "预警 \(id) 不存在或不在您的数据权限范围内"
        case .forbidden(let why), .invalidTransition(let why): return why
        }
    }
}
