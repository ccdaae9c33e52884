import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// The supervision workbench (监督工作台) in Chinese, server-rendered from mustache templates and usable without
/// JavaScript: overview, warning list with CSV, a warning's page with its verification and rectification forms,
/// each agency's queue and the rule catalogue. Every route declares its access through ``SecureRoutes``; what a
/// page shows follows the caller's data scope, and every step goes through the store's lifecycle checks.
struct Workbench: Sendable {
    let store: TianpingStore
    let engine: RuleEngine
    /// Every rule family's names and bases (procedure pack, sentencing review, ledger audit).
    let catalogue: RuleCatalogue
    let templates: Templates
    let caches: WorkbenchCaches
    let directory: AgencyDirectory

    func register(on routes: SecureRoutes) {
        routes.get("workbench", .permission(.readFindings)) { request, context in try await overview(request, context) }
        routes.get("workbench/warnings", .permission(.readFindings)) { request, context in
            let q = request.uri.queryParameters
            let notice = q["pushed"].flatMap { Int($0) }.map { pushed in
                "已推送 \(pushed) 条预警" + (q["refused"].flatMap { Int($0) }.map { $0 > 0 ? "；\($0) 条未推送（状态已变化或无权推送）" : "" } ?? "")
            }
            let page = try await list(request, context, notice: notice)
            try await AccessAudit.list(store, request, context, count: page.shown)
            return page.html
        }
        routes.get("workbench/warnings.csv", .permission(.readFindings)) { request, context in try await csv(request, context) }
        routes.post("workbench/warnings/push", .signedIn) { request, context in try await bulkPush(request, context) }
        routes.get("workbench/warnings/:id", .permission(.readFindings)) { request, context in
            let q = request.uri.queryParameters
            // Only a known step's name is shown back, never the parameter's text.
            return try await warningPage(context, notice: q["done"].flatMap { WarningAction(rawValue: String($0)) }.map { "已完成：\($0.chineseName)" })
        }
        routes.post("workbench/warnings/:id/act", .signedIn) { request, context in try await act(request, context) }
        routes.get("workbench/attachments/:id", .permission(.readFindings)) { _, context in try await attachment(context) }
        routes.get("workbench/queue", .permission(.readFindings)) { request, context in try await queue(request, context) }
        routes.get("workbench/rules", .permission(.readFindings)) { _, context in try await rules(context) }
    }

    // MARK: - 驾驶舱

    struct OverviewPage {
        struct Chart {
            var id: String
            var caption: String
            var svg: String
        }

        var frame: Frame
        var scope: String
        var generatedAt: String
        var cases: Int
        var openFindings: Int
        var openWarnings: Int
        var overdueWarnings: Int
        var charts: [Chart]
        var warningTable: String
    }

    func overview(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = Timestamp.now().secondsSinceEpoch
        let data = try await caches.overviews.overview(scope: principal.scope, now: now)
        let names = try await directory.names()
        let gradeColors = ["red": "#b00020", "orange": "#b35900", "yellow": "#b39b00"]
        let grades = WarningGrade.allCases.reversed().map {
            Charts.Bar(label: $0.chineseName, value: data.overview.warningsByGrade[$0.rawValue] ?? 0, color: gradeColors[$0.rawValue]!,
                href: "/workbench/warnings?grade=\($0.rawValue)")
        }
        let states = WarningState.allCases.map {
            Charts.Bar(label: $0.chineseName, value: data.overview.warningsByState[$0.rawValue] ?? 0, href: "/workbench/warnings?state=\($0.rawValue)")
        }
        let rules = data.overview.topRules.map { Charts.Bar(label: "\($0.name) \(ruleName($0.name))".prefix(16).description, value: $0.count) }
        let kinds = FindingKind.allCases.compactMap { kind in
            data.overview.findingsByKind[kind.rawValue].map { Charts.Bar(label: kind.chineseName, value: $0) }
        }
        let agencies = data.overview.warningsByAgency.map {
            Charts.Bar(label: names.agency($0.name), value: $0.count, href: "/workbench/warnings?agency=\($0.name)")
        }
        let cities = data.overview.warningsByCity.map { Charts.Bar(label: names.city($0.name), value: $0.count) }
        let charts = [
            OverviewPage.Chart(id: "c-grade", caption: "在办预警按等级", svg: Charts.bars(grades, labelledBy: "c-grade", labelWidth: 80)),
            .init(id: "c-state", caption: "预警按流转状态", svg: Charts.bars(states, labelledBy: "c-state", labelWidth: 80)),
            .init(id: "c-kind", caption: "未销号风险发现按类型", svg: Charts.bars(kinds, labelledBy: "c-kind", labelWidth: 110)),
            .init(id: "c-rule", caption: "未销号风险发现最多的规则", svg: Charts.bars(rules, labelledBy: "c-rule", labelWidth: 210)),
            .init(id: "c-agency", caption: "在办预警最多的责任单位", svg: Charts.bars(agencies, labelledBy: "c-agency", labelWidth: 210)),
            .init(id: "c-city", caption: "在办预警按地区", svg: Charts.bars(cities, labelledBy: "c-city", labelWidth: 110)),
            .init(id: "c-trend", caption: "风险发现按发生月份（近 12 个有数据的月份）",
                svg: Charts.columns(data.overview.trend.map { ($0.month, $0.count) }, labelledBy: "c-trend")),
        ]
        let page = OverviewPage(
            frame: Frame("驾驶舱", path: "/workbench", principal: principal, csrf: context.csrfToken),
            scope: principal.scope.chineseDescription, generatedAt: Timestamp(secondsSinceEpoch: data.computedAt).description,
            cases: data.overview.cases, openFindings: data.overview.openFindings, openWarnings: data.overview.openWarnings,
            overdueWarnings: data.overview.overdueWarnings, charts: charts,
            warningTable: WarningTable.html(data.overview.mostOverdue.map { WarningRow($0, names: names, now: now, principal: principal) },
                caption: "超期时间最长的在办预警（前 10 条）", selectable: false))
        // The overview lists the most overdue warnings: a list read like any other.
        try await AccessAudit.list(store, request, context, count: data.overview.mostOverdue.count)
        return try templates.render(page, "overview")
    }

    // MARK: - 风险预警 list and CSV

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct ListPage {
        var frame: Frame
        var path: String
        var csrf: String
        var states: [Choice]
        var grades: [Choice]
        var sorts: [Choice]
        var agency: String
        var caseID: String
        var overdueOnly: Bool
        var csvHref: String
        var total: Int
        var page: Int
        var pages: Int
        var canPush: Bool
        var warningTable: String
        var previousHref: String?
        var nextHref: String?
    }

    static let pageSize = 50

    static func listQuery(_ request: Request) throws -> (WarningListQuery, Int) {
        let q = request.uri.queryParameters
        func text(_ key: String) -> String? { q[Substring(key)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var query = WarningListQuery()
        query.state = try QueryParameters.choice(text("state").map { Substring($0) }, "state", as: WarningState.self)
        query.grade = try QueryParameters.choice(text("grade").map { Substring($0) }, "grade", as: WarningGrade.self)
        query.sort = try QueryParameters.choice(text("sort").map { Substring($0) }, "sort", as: WarningListQuery.Sort.self) ?? .grade
        query.agency = text("agency")
        query.caseID = text("case")
        query.overdueOnly = text("overdue") == "1"
        let page = try QueryParameters.int(q["page"], "page", default: 1, range: 1...100_000)
        return (query, page)
    }

    static func queryString(_ query: WarningListQuery, page: Int? = nil) -> String {
        var parts: [(String, String)] = []
        if let s = query.state { parts.append(("state", s.rawValue)) }
        if let g = query.grade { parts.append(("grade", g.rawValue)) }
        if let a = query.agency { parts.append(("agency", a)) }
        if let c = query.caseID { parts.append(("case", c)) }
        if query.overdueOnly { parts.append(("overdue", "1")) }
        if query.sort != .grade { parts.append(("sort", query.sort.rawValue)) }
        if let page { parts.append(("page", String(page))) }
        return parts.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
    }

    /// The list page, and how many warnings it shows (for the audit).
    func list(_ request: Request, _ context: TianpingRequestContext, notice: String? = nil, error: String? = nil) async throws
        -> (html: HTML, shown: Int)
    {
        let principal = try signedIn(context)
        let (query, page) = try Self.listQuery(request)
        let now = Timestamp.now().secondsSinceEpoch
        let total = try await caches.counts.count(query, scope: principal.scope, now: now)
        let result = try await store.warningPage(query, page: page, pageSize: Self.pageSize, scope: principal.scope, now: now, total: total)
        let names = try await directory.names()
        let pages = max(1, (result.total + Self.pageSize - 1) / Self.pageSize)
        let canPush = principal.role.map { WarningAction.push.roles.contains($0) } ?? false
        let view = ListPage(
            frame: Frame("风险预警", path: "/workbench/warnings", principal: principal, csrf: context.csrfToken, notice: notice, error: error),
            path: "/workbench/warnings", csrf: context.csrfToken ?? "",
            states: WarningState.allCases.map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.state) },
            grades: WarningGrade.allCases.reversed().map { Choice(value: $0.rawValue, label: $0.chineseName, selected: $0 == query.grade) },
            sorts: [(WarningListQuery.Sort.grade, "按等级（最严重在前）"), (.due, "按本环节期限"), (.updated, "按最近变化"), (.caseID, "按案件编号")]
                .map { Choice(value: $0.0.rawValue, label: $0.1, selected: $0.0 == query.sort) },
            agency: query.agency ?? "", caseID: query.caseID ?? "", overdueOnly: query.overdueOnly,
            csvHref: "/workbench/warnings.csv?" + Self.queryString(query), total: result.total, page: page, pages: pages,
            canPush: canPush,
            warningTable: WarningTable.html(result.items.map { WarningRow($0, names: names, now: now, principal: principal) },
                caption: "预警列表（每页 \(Self.pageSize) 条）", selectable: canPush),
            previousHref: page > 1 ? "/workbench/warnings?" + Self.queryString(query, page: page - 1) : nil,
            nextHref: page < pages ? "/workbench/warnings?" + Self.queryString(query, page: page + 1) : nil)
        return (try templates.render(view, "warnings"), result.items.count)
    }

    /// The whole filtered list (up to 100,000 rows) as CSV with a byte-order mark, audited as an export.
    func csv(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        let (query, _) = try Self.listQuery(request)
        let now = Timestamp.now().secondsSinceEpoch
        let names = try await directory.names()
        var rows = [["预警编号", "案件编号", "责任单位代码", "责任单位", "等级", "状态", "核查结论", "风险发现数", "最长超期（天）", "本环节期限", "是否流转超期", "升级次数"]]
        var page = 1
        while rows.count <= 100_000 {
            let batch = try await store.warningPage(query, page: page, pageSize: 1_000, scope: principal.scope, now: now)
            for w in batch.items {
                rows.append([w.id, w.caseID, w.agency, names.agency(w.agency), w.grade.chineseName, w.state.chineseName,
                    w.conclusion?.chineseName ?? "", String(w.findingIDs.count), String(w.overdueDays),
                    w.dueAt.map { Timestamp(secondsSinceEpoch: $0).description } ?? "", (w.dueAt.map { $0 < now } ?? false) ? "是" : "否",
                    String(w.escalations)])
            }
            if batch.items.count < 1_000 { break }
            page += 1
        }
        try await store.audit(AuditEntry(principal, .exportList, at: now, target: "warnings.csv?" + Self.queryString(query),
            address: context.address, itemCount: rows.count - 1))
        return CSV.response(rows, filename: "warnings-\(Timestamp(secondsSinceEpoch: now).localDate.description).csv")
    }

    func bulkPush(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 1024 * 1024))
        let ids = form.all("ids")
        guard ids.count <= 1_000 else {
            return try await list(request, context, error: "一次最多推送 1,000 条预警（本次选择了 \(ids.count) 条）").html.response(status: .badRequest)
        }
        var pushed = 0
        var refused: [String] = []
        for id in ids {
            do {
                try await store.transitionWarning(id, action: .push, comment: form["comment"].flatMap { $0.isEmpty ? nil : $0 }, by: principal,
                    now: Timestamp.now().secondsSinceEpoch)
                pushed += 1
            } catch let error as WarningError {
                if case .notFound = error { await AccessAudit.miss(store, principal, .warning(id), request: request, address: context.address) }
                refused.append("\(id)：\(error.description)")
            }
        }
        await caches.invalidate()
        return Response(status: .seeOther, headers: [.location: "/workbench/warnings?pushed=\(pushed)&refused=\(ids.count - pushed)"])
    }

    // MARK: - A warning's page and its steps

    struct FindingRow {
        var ruleID: String
        var ruleName: String
        var severityName: String
        var explanation: String
        var citation: String
        var statusName: String
    }

    struct ActionForm {
        var action: String
        var label: String
        var urlID: String
        var csrf: String
        var needsConclusion: Bool
        var commentLabel: String
        var commentRequired: Bool
        var allowsAttachment: Bool
    }

    struct TransitionRow {
        var at: String
        var actor: String
        var role: String
        var actionName: String
        var fromName: String
        var toName: String
        var comment: String?
        var conclusionName: String?
    }

    struct AttachmentRow {
        var id: Int64
        var filename: String
        var sizeText: String
        var sha256: String
        var uploadedBy: String
        var at: String
    }

    struct WarningPage {
        var frame: Frame
        var warning: WarningRow
        var urlID: String
        var findings: [FindingRow]
        var hasActions: Bool
        var actions: [ActionForm]
        var attachments: [AttachmentRow]
        var transitions: [TransitionRow]
    }

    func warningPage(_ context: TianpingRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let principal = try signedIn(context)
        let warning = try await WarningAPI.visibleWarning(store, context)
        try await AccessAudit.warning(store, context, warning)
        let now = Timestamp.now().secondsSinceEpoch
        let names = try await directory.names()
        let row = WarningRow(warning, names: names, now: now, principal: principal)
        let wanted = Set(warning.findingIDs)
        let maskers = try await store.freeTextMaskers(forCases: [warning.caseID])
        let findings = try await store.findings(FindingQuery(status: nil, caseID: warning.caseID), page: 1, pageSize: 500, scope: principal.scope)
            .items.filter { wanted.contains($0.finding.id) }
            .map { $0.masked(maskers) }
            .map { FindingRow(ruleID: $0.finding.ruleID, ruleName: ruleName($0.finding.ruleID), severityName: $0.finding.severity.chineseName,
                explanation: $0.finding.explanation, citation: $0.finding.citation, statusName: $0.status == "open" ? "未销号" : "已销号") }
        let actions = Self.allowedActions(warning, principal).map { action in
            ActionForm(action: action.rawValue, label: action.chineseName, urlID: row.urlID, csrf: context.csrfToken ?? "",
                needsConclusion: action == .conclude,
                commentLabel: action == .conclude ? "核查情况及理由" : action == .reportRectified ? "整改情况" : action == .returnForReverification ? "退回理由" : "意见（可选）",
                commentRequired: action == .conclude || action == .reportRectified || action == .returnForReverification,
                allowsAttachment: action == .conclude || action == .reportRectified)
        }
        let attachments = try await store.attachments(warningID: warning.id).map {
            AttachmentRow(id: $0.id, filename: $0.filename, sizeText: $0.size >= 1024 ? "\($0.size / 1024) KB" : "\($0.size) 字节", sha256: $0.sha256,
                uploadedBy: $0.uploadedBy, at: Timestamp(secondsSinceEpoch: $0.at).description)
        }
        let transitions = try await store.warningTransitions(warning.id).map { t in
            TransitionRow(at: Timestamp(secondsSinceEpoch: t.at).description, actor: t.actor == "system" ? "系统" : t.actor,
                role: t.role == "system" ? "自动" : Role(rawValue: t.role)?.chineseName ?? t.role,
                actionName: WarningAction(rawValue: t.action)?.chineseName ?? Self.systemActionNames[t.action] ?? t.action,
                fromName: t.from?.chineseName ?? "—", toName: t.to.chineseName, comment: t.comment, conclusionName: t.conclusion?.chineseName)
        }
        let page = WarningPage(
            frame: Frame("预警 · 案件 \(warning.caseID)", path: "", principal: principal, csrf: context.csrfToken, notice: notice, error: error),
            warning: row, urlID: row.urlID, findings: findings, hasActions: !actions.isEmpty, actions: actions, attachments: attachments,
            transitions: transitions)
        return try templates.render(page, "warning").response(status: status)
    }

    static let systemActionNames = ["opened": "汇聚生成", "auto_closed": "自动办结", "escalated": "超期升级"]

    /// The steps this caller may take on this warning now: the lifecycle allows them from its state, the caller's
    /// role may take them, and agency steps are for the responsible agency's own staff.
    static func allowedActions(_ w: StoredWarning, _ principal: Principal) -> [WarningAction] {
        guard let role = principal.role else { return [] }
        return WarningAction.allCases.filter { action in
            guard action.roles.contains(role), action.bySupervisor || principal.agency == w.agency else { return false }
            let conclusion: VerificationConclusion? = action == .conclude ? .substantiated : nil
            return (try? WarningLifecycle.next(from: w.state, action, conclusion: conclusion, previousConclusion: w.conclusion)) != nil
        }
    }

    /// One step from the warning page's form (multipart, so that a file can come with it). Redirects back on
    /// success; shows the page again with the reason on refusal.
    func act(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        let warning = try await WarningAPI.visibleWarning(store, context)
        var request = request
        let form = try FormFields(try await request.collectBody(upTo: context.maxUploadSize), contentType: request.headers[.contentType])
        guard let action = form["action"].flatMap(WarningAction.init(rawValue:)) else {
            return try await warningPage(context, error: "未知的办理操作", status: .badRequest)
        }
        var conclusion: VerificationConclusion?
        if let c = form["conclusion"], !c.isEmpty {
            guard let parsed = VerificationConclusion(rawValue: c) else { return try await warningPage(context, error: "核查结论无法识别", status: .badRequest) }
            conclusion = parsed
        }
        let comment = form["comment"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        let attachment = form.file("attachment")
        if action == .conclude || action == .reportRectified || action == .returnForReverification, (comment ?? "").count < 2 {
            return try await warningPage(context, error: "请填写\(action == .returnForReverification ? "退回理由" : "核查或整改情况")", status: .badRequest)
        }
        do {
            try await store.transitionWarning(warning.id, action: action, conclusion: conclusion, comment: comment?.isEmpty == true ? nil : comment,
                attachments: attachment.map { [$0] } ?? [], by: principal, now: Timestamp.now().secondsSinceEpoch)
        } catch let error as WarningError {
            let status: HTTPResponse.Status = { if case .forbidden = error { return .forbidden }; return .conflict }()
            return try await warningPage(context, error: error.description, status: status)
        }
        await caches.invalidate()
        let id = warning.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? warning.id
        return Response(status: .seeOther, headers: [.location: "/workbench/warnings/\(id)?done=\(action.rawValue)"])
    }

    func attachment(_ context: TianpingRequestContext) async throws -> Response {
        let principal = try signedIn(context)
        guard let id = Int64(try context.parameters.require("id")), let (meta, data) = try await store.attachment(id: id),
            let warning = try await store.warning(meta.warningID, scope: principal.scope)
        else { throw APIFailure(.notFound, code: "not_found", message: "附件不存在或不在您的数据权限范围内") }
        try await store.audit(AuditEntry(principal, .exportList, at: Timestamp.now().secondsSinceEpoch, target: "attachment:\(id) \(meta.filename)",
            caseID: warning.caseID, address: context.address))
        let encoded = meta.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        return Response(status: .ok, headers: [
            .contentType: meta.contentType, .contentDisposition: "attachment; filename=\"attachment-\(id)\"; filename*=UTF-8''\(encoded)",
            .init("X-Content-Type-Options")!: "nosniff",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: - 本单位待办 and the rule catalogue

    struct QueuePage {
        var frame: Frame
        var explanation: String
        var warningTable: String
    }

    /// The responsible agency's staff see what waits for their agency (签收、核查、整改); supervisors see what
    /// waits for them (推送、审查结论、验收整改) within their scope. Nearest deadline first.
    func queue(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = Timestamp.now().secondsSinceEpoch
        let names = try await directory.names()
        let supervisor = principal.role.map { WarningAction.push.roles.contains($0) } ?? false
        let states: [WarningState] = supervisor ? [.pendingPush, .concluded, .rectified] : [.pushed, .verifying, .rectifying]
        var items: [StoredWarning] = []
        for state in states {
            var query = WarningListQuery(state: state, sort: .due)
            if !supervisor { query.agency = principal.agency }
            items += try await store.warningPage(query, page: 1, pageSize: 200, scope: principal.scope, now: now).items
        }
        items.sort { ($0.dueAt ?? .max, $0.id) < ($1.dueAt ?? .max, $1.id) }
        let page = QueuePage(
            frame: Frame("本单位待办", path: "/workbench/queue", principal: principal, csrf: context.csrfToken),
            explanation: supervisor
                ? "待推送、待审查核查结论、待验收整改的预警（您的数据权限范围内），按本环节期限先后排列。"
                : "推送给本单位（\(names.agency(principal.agency))）待签收、核查中、整改中的预警，按本环节期限先后排列。",
            warningTable: WarningTable.html(items.map { WarningRow($0, names: names, now: now, principal: principal) },
                caption: "待办预警（\(items.count) 条）", selectable: false))
        try await AccessAudit.list(store, request, context, count: items.count)
        return try templates.render(page, "queue")
    }

    struct RuleRow {
        var id: String
        var name: String
        var basis: String
        var grade: String
        var severityName: String
        var enabled: Bool
        /// Plain values: mustache looks a missing (nil) key up in the parent page, where `ruleCount` lives.
        var count: Int
        var hasOpen: Bool
    }

    struct RulesPage {
        var frame: Frame
        var version: String
        var ruleCount: Int
        var rules: [RuleRow]
    }

    func rules(_ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let counts = try await store.openFindingCounts(scope: principal.scope)
        let enabled = Dictionary(engine.pack.rules.map { ($0.id, $0.enabled) }, uniquingKeysWith: { a, _ in a })
        let rows = catalogue.entries.map {
            // A rule whose grade varies per finding (a judgment-outcome bound: the grade of the rules it used, A/B,
            // or C once confirmed) shows that range.
            RuleRow(id: $0.id, name: $0.name, basis: $0.citation, grade: $0.grade?.rawValue ?? "A/B", severityName: $0.severity.chineseName,
                enabled: enabled[$0.id] ?? true, count: counts[$0.id] ?? 0, hasOpen: (counts[$0.id] ?? 0) > 0)
        }
        let page = RulesPage(frame: Frame("规则目录", path: "/workbench/rules", principal: principal, csrf: context.csrfToken),
            version: engine.pack.version, ruleCount: rows.count, rules: rows)
        return try templates.render(page, "rules")
    }

    func ruleName(_ id: String) -> String { catalogue.name(id) }

    func signedIn(_ context: TianpingRequestContext) throws -> Principal {
        guard let principal = context.principal else { throw APIFailure(.unauthorized, code: "unauthenticated", message: "请先登录") }
        return principal
    }
}

/// One warning as a row of a table (``WarningTable``) or a warning's page; on the page it answers mustache's
/// lookups with a switch (``MustacheParent``) instead of reflection.
struct WarningRow: MustacheParent {
    var id: String
    var urlID: String
    var anchor: String
    var caseID: String
    var agency: String
    var agencyName: String
    var grade: String
    var gradeName: String
    var stateName: String
    var conclusionName: String?
    var findingCount: Int
    var overdueDays: Int?
    var escalations: Int?
    var due: String?
    var dueOverdue: Bool
    var pushable: Bool

    func child(named name: String) -> Any? {
        switch name {
        case "id": return id
        case "urlID": return urlID
        case "anchor": return anchor
        case "caseID": return caseID
        case "agency": return agency
        case "agencyName": return agencyName
        case "grade": return grade
        case "gradeName": return gradeName
        case "stateName": return stateName
        case "conclusionName": return conclusionName
        case "findingCount": return findingCount
        case "overdueDays": return overdueDays
        case "escalations": return escalations
        case "due": return due
        case "dueOverdue": return dueOverdue
        case "pushable": return pushable
        default: return nil
        }
    }

    init(_ w: StoredWarning, names: AgencyDirectory.Names, now: Int64, principal: Principal) {
        id = w.id
        urlID = w.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? w.id
        anchor = String(w.id.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains(Character($0))) }.map(Character.init))
        caseID = w.caseID
        agency = w.agency
        agencyName = names.agency(w.agency)
        grade = w.grade.rawValue
        gradeName = w.grade.chineseName
        stateName = w.state.chineseName
        conclusionName = w.conclusion?.chineseName
        findingCount = w.findingIDs.count
        overdueDays = w.overdueDays > 0 ? w.overdueDays : nil
        escalations = w.escalations > 0 ? w.escalations : nil
        due = w.dueAt.map { Timestamp(secondsSinceEpoch: $0).description }
        dueOverdue = w.dueAt.map { $0 < now } ?? false
        pushable = w.state == .pendingPush
    }
}
