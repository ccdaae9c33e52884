import Foundation
import SQLKit
import TianpingAccess
import TianpingCore
import TianpingLedger

/// One line of the access audit: who (and in what role, for which agency), when, did what to what, why, from where,
/// and whether it was allowed.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var id: Int64?
    public var at: Int64
    public var actor: String
    public var actorKind: String
    public var role: String
    public var agency: String
    public var action: AuditAction
    public var target: String?
    public var caseID: String?
    public var reason: String?
    public var address: String?
    /// `allowed`, `denied` or `failed`.
    public var outcome: String
    /// How many rows a list read showed (one audit entry per request, not per row).
    public var itemCount: Int?

    public init(at: Int64, actor: String, actorKind: String, role: String, agency: String, action: AuditAction, target: String? = nil,
        caseID: String? = nil, reason: String? = nil, address: String? = nil, outcome: String = "allowed", itemCount: Int? = nil)
    {
        self.at = at
        self.actor = actor
        self.actorKind = actorKind
        self.role = role
        self.agency = agency
        self.action = action
        self.target = target
        self.caseID = caseID
        self.reason = reason
        self.address = address
        self.outcome = outcome
        self.itemCount = itemCount
    }

    /// An entry for something a principal did.
    public init(_ principal: Principal, _ action: AuditAction, at: Int64, target: String? = nil, caseID: String? = nil,
        reason: String? = nil, address: String? = nil, outcome: String = "allowed", itemCount: Int? = nil)
    {
        self.init(at: at, actor: principal.name, actorKind: principal.kind.rawValue, role: principal.roleName,
            agency: principal.agency, action: action, target: target, caseID: caseID, reason: reason, address: address,
            outcome: outcome, itemCount: itemCount)
    }
}

/// What the audit records. Reads of case details, warnings and lists, requests for cases or warnings the caller
/// cannot see, exports, unmasking, sign-ins and every change of accounts, tokens and assignments.
public enum AuditAction: String, Sendable, Hashable, Codable, CaseIterable {
    case signIn = "sign_in"
    case signInFailed = "sign_in_failed"
    case signOut = "sign_out"
    case readCase = "read_case"
    case readCaseFindings = "read_case_findings"
    /// A warning's page or JSON.
    case readWarning = "read_warning"
    /// A list (cases, findings, warnings, a warning's attachments, the event stream): one entry per request, with
    /// its filters in `target` and the rows shown in `itemCount`.
    case readList = "read_list"
    /// A case or warning asked for by id that does not exist or is outside the caller's scope (answered 404 all
    /// the same): `denied` when it exists, `failed` when it does not. Probing other regions leaves this trace.
    case outOfScope = "out_of_scope"
    case exportDossier = "export_dossier"
    /// A report kept in a case's dossier (类案检索报告): the file is stored and its hash logged.
    case keepReport = "keep_report"
    case exportList = "export_list"
    case unmask
    case readAudit = "read_audit"
    case accessDenied = "access_denied"
    case accountCreated = "account_created"
    case accountDisabled = "account_disabled"
    case accountEnabled = "account_enabled"
    case passwordReset = "password_reset"
    case secondFactorEnabled = "second_factor_enabled"
    case tokenIssued = "token_issued"
    case tokenRevoked = "token_revoked"
    case caseAssigned = "case_assigned"
    case webhookChanged = "webhook_changed"

    public var chineseName: String {
        switch self {
        case .signIn: return "登录"
        case .signInFailed: return "登录失败"
        case .signOut: return "退出"
        case .readCase: return "查看案件详情"
        case .readCaseFindings: return "查看案件风险"
        case .readWarning: return "查看预警"
        case .readList: return "查看列表"
        case .outOfScope: return "请求不存在或权限范围外的对象"
        case .exportDossier: return "导出卷宗"
        case .keepReport: return "报告存入卷宗"
        case .exportList: return "导出列表"
        case .unmask: return "查看脱敏原文"
        case .readAudit: return "查看审计日志"
        case .accessDenied: return "越权访问被拒绝"
        case .accountCreated: return "创建账户"
        case .accountDisabled: return "停用账户"
        case .accountEnabled: return "启用账户"
        case .passwordReset: return "重置密码"
        case .secondFactorEnabled: return "启用双因素认证"
        case .tokenIssued: return "签发接口令牌"
        case .tokenRevoked: return "吊销接口令牌"
        case .caseAssigned: return "分配案件"
        case .webhookChanged: return "变更预警推送回调"
        }
    }
}

/// A pattern of access worth a supervisor's look (the chronic-problem analysis reads these later).
public struct AccessSignal: Sendable, Hashable, Codable {
    /// `many_unassigned_cases`, `bulk_export`, `odd_hours` or `out_of_scope_probing`.
    public var kind: String
    public var actor: String
    public var count: Int
    public var message: String
}

extension TianpingStore {
    /// Appends one audit entry, and in the same transaction its leaf in the access audit log
    /// (``AccessAuditLog``), so that a row changed or deleted later no longer matches its leaf and the ledger
    /// self-audit names it. The audit table is written by this function only, and never updated.
    ///
    /// Every audited read writes here, so entries that arrive while a write runs are written together in the next
    /// transaction (group commit): the caller still returns only once its own entry is committed.
    public func audit(_ entry: AuditEntry) async throws {
        // Inside a transaction the entry joins it (a queued write would wait for this very transaction to end).
        if GatedDatabase.holds(writeGate) { return try await writeAudit([entry]) }
        try await auditCommits.submit(entry) { [self] entries in try await self.writeAudit(entries) }
    }

    private func writeAudit(_ entries: [AuditEntry]) async throws {
        let dialect = self.dialect
        try await transaction { db in
            // PostgreSQL: another process (the CLI) may append at the same time; the lock makes the next index ours.
            // SQLite's writer transaction is already exclusive (BEGIN IMMEDIATE).
            if dialect == .postgres { try await db.raw("LOCK TABLE access_audit_leaves IN SHARE ROW EXCLUSIVE MODE").run() }
            for entry in entries { try await Self.appendAudit(entry, db: db) }
        }
    }

    private static func appendAudit(_ entry: AuditEntry, db: any SQLDatabase) async throws {
            let row = try await db.insert(into: "access_audit")
                .columns("at", "actor", "actor_kind", "role", "agency", "action", "target", "case_id", "reason", "address", "outcome",
                    "item_count")
                .values(SQLBind(entry.at), SQLBind(entry.actor), SQLBind(entry.actorKind), SQLBind(entry.role), SQLBind(entry.agency),
                    SQLBind(entry.action.rawValue), SQLBind(entry.target), SQLBind(entry.caseID), SQLBind(entry.reason),
                    SQLBind(entry.address), SQLBind(entry.outcome), SQLBind(entry.itemCount))
                .returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int64.self) else { throw StoreError.corrupt("访问审计记录写入后未返回编号") }
            // Its leaf at the next index, in one statement (this runs on every audited read).
            try await db.raw("""
                INSERT INTO access_audit_leaves (leaf_index, audit_id, leaf_hash)
                SELECT COALESCE(MAX(leaf_index) + 1, 0), \(bind: id), \(bind: entry.leafHash(id: id).hex) FROM access_audit_leaves
                """).run()
    }

    static func decodeAuditEntry(_ row: any SQLRow) throws -> AuditEntry {
        var entry = AuditEntry(at: try row.decode(column: "at", as: Int64.self), actor: try row.decode(column: "actor", as: String.self),
            actorKind: try row.decode(column: "actor_kind", as: String.self), role: try row.decode(column: "role", as: String.self),
            agency: try row.decode(column: "agency", as: String.self),
            action: AuditAction(rawValue: try row.decode(column: "action", as: String.self)) ?? .accessDenied,
            target: try row.decode(column: "target", as: String?.self), caseID: try row.decode(column: "case_id", as: String?.self),
            reason: try row.decode(column: "reason", as: String?.self), address: try row.decode(column: "address", as: String?.self),
            outcome: try row.decode(column: "outcome", as: String.self), itemCount: try row.decode(column: "item_count", as: Int?.self))
        entry.id = try row.decode(column: "id", as: Int64.self)
        return entry
    }

    /// Audit entries, newest first.
    public func auditEntries(actor: String? = nil, action: AuditAction? = nil, caseID: String? = nil, limit: Int = 200)
        async throws -> [AuditEntry]
    {
        var select = writer.select().columns("*").from("access_audit")
        if let actor { select = select.where("actor", .equal, actor) }
        if let action { select = select.where("action", .equal, action.rawValue) }
        if let caseID { select = select.where("case_id", .equal, caseID) }
        return try await select.orderBy("id", .descending).limit(min(max(1, limit), 5_000)).all().map(Self.decodeAuditEntry)
    }

    /// Unusual access in the `window` seconds before `now`: many distinct cases read that are not assigned to the
    /// reader, many exports, reads at night (22:00–06:00 China time), and repeated requests for cases or warnings
    /// that do not exist or lie outside the caller's scope (`probeThreshold` distinct ids: probing other regions).
    public func accessSignals(now: Int64, window: Int64 = 86_400, unassignedThreshold: Int = 50, exportThreshold: Int = 20,
        probeThreshold: Int = 10, fruitlessSearchThreshold: Int = 20) async throws -> [AccessSignal]
    {
        let since = now - window
        var signals: [AccessSignal] = []
        let reads = try await writer.select().columns("actor", "case_id", "at").from("access_audit")
            .where("at", .greaterThanOrEqual, since).where("outcome", .equal, "allowed")
            .where("action", .in, [AuditAction.readCase.rawValue, AuditAction.readCaseFindings.rawValue, AuditAction.unmask.rawValue,
                AuditAction.readWarning.rawValue])
            .all()
        var casesByActor: [String: Set<String>] = [:]
        var night: [String: Int] = [:]
        for row in reads {
            let actor = try row.decode(column: "actor", as: String.self)
            if let c = try row.decode(column: "case_id", as: String?.self) { casesByActor[actor, default: []].insert(c) }
            let hour = Int(((try row.decode(column: "at", as: Int64.self) + 8 * 3600) % 86_400) / 3600)
            if hour >= 22 || hour < 6 { night[actor, default: 0] += 1 }
        }
        for (actor, cases) in casesByActor.sorted(by: { $0.key < $1.key }) {
            var assigned = Set<String>()
            if let account = try await account(username: actor) {
                assigned = Set(try await writer.select().column("case_id").from("case_assignments").where("account_id", .equal, account.id)
                    .all().map { try $0.decode(column: "case_id", as: String.self) })
            }
            let outside = cases.subtracting(assigned).count
            if outside >= unassignedThreshold {
                signals.append(AccessSignal(kind: "many_unassigned_cases", actor: actor, count: outside,
                    message: "\(actor) 在 \(window / 3600) 小时内查看了 \(outside) 件未分配给本人的案件"))
            }
        }
        let exports = try await writer.select().column("actor").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("access_audit").where("at", .greaterThanOrEqual, since).where("outcome", .equal, "allowed")
            .where("action", .in, [AuditAction.exportDossier.rawValue, AuditAction.exportList.rawValue]).groupBy("actor").all()
        for row in exports {
            let n = try row.decode(column: "n", as: Int.self)
            let actor = try row.decode(column: "actor", as: String.self)
            if n >= exportThreshold {
                signals.append(AccessSignal(kind: "bulk_export", actor: actor, count: n, message: "\(actor) 在 \(window / 3600) 小时内导出 \(n) 次"))
            }
        }
        for (actor, n) in night.sorted(by: { $0.key < $1.key }) {
            signals.append(AccessSignal(kind: "odd_hours", actor: actor, count: n, message: "\(actor) 在夜间（22:00–06:00）查看案件 \(n) 次"))
        }
        // Misses: distinct cases asked for (a stale link opened twice, or as page and JSON, is one), and how many exist.
        let misses = try await writer.select().columns("actor", "case_id", "target", "outcome").from("access_audit")
            .where("at", .greaterThanOrEqual, since).where("action", .equal, AuditAction.outOfScope.rawValue).all()
        var asked: [String: (all: Set<String>, existing: Set<String>)] = [:]
        for row in misses {
            let actor = try row.decode(column: "actor", as: String.self)
            let key = try row.decode(column: "case_id", as: String?.self) ?? row.decode(column: "target", as: String?.self) ?? ""
            asked[actor, default: ([], [])].all.insert(key)
            if try row.decode(column: "outcome", as: String.self) == "denied" { asked[actor, default: ([], [])].existing.insert(key) }
        }
        for (actor, ids) in asked.sorted(by: { $0.key < $1.key }) where ids.all.count >= probeThreshold {
            signals.append(AccessSignal(kind: "out_of_scope_probing", actor: actor, count: ids.all.count,
                message: "\(actor) 在 \(window / 3600) 小时内请求了 \(ids.all.count) 个不存在或不在其数据权限范围内的案件或预警"
                    + "（其中 \(ids.existing.count) 个确实存在）"))
        }
        // Searches that found nothing: the search box accepts a full name or identity number even from a reader who
        // sees them masked, so many misses in a day may be someone guessing the digits a mask hides.
        let searches = try await writer.select().column("actor").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("access_audit").where("at", .greaterThanOrEqual, since).where("action", .equal, AuditAction.readList.rawValue)
            .where("target", .like, "GET /workbench/search?%").where("item_count", .equal, 0).groupBy("actor").all()
        for row in searches {
            let n = try row.decode(column: "n", as: Int.self)
            let actor = try row.decode(column: "actor", as: String.self)
            if n >= fruitlessSearchThreshold {
                signals.append(AccessSignal(kind: "fruitless_searches", actor: actor, count: n,
                    message: "\(actor) 在 \(window / 3600) 小时内查找案件 \(n) 次未找到（可能在猜测被脱敏的姓名或身份证号）"))
            }
        }
        return signals
    }
}

/// Group commit for the access audit: entries submitted while a write runs wait for the next one, and each write
/// takes everything waiting in one transaction. Under load a hundred page views cost one commit instead of a hundred
/// queued on the single writer; alone, an entry is written at once. No entry is acknowledged before it is committed.
actor AuditGroupCommit {
    private var pending: [(entry: AuditEntry, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    func submit(_ entry: AuditEntry, write: @escaping @Sendable ([AuditEntry]) async throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            pending.append((entry, done))
            guard !writing else { return }
            writing = true
            Task { await self.drain(write) }
        }
    }

    private func drain(_ write: @Sendable ([AuditEntry]) async throws -> Void) async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            do {
                try await write(batch.map(\.entry))
                for item in batch { item.done.resume() }
            } catch {
                for item in batch { item.done.resume(throwing: error) }
            }
        }
        writing = false
    }
}
