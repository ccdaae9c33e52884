import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// 本单位待办 and the rule catalogue page.
extension Workbench {
    struct QueuePage {
        var frame: Frame
        var explanation: String
        var warningTable: String
    }

    /// The responsible agency's staff see what waits for their agency (签收、核查、整改); supervisors see what
    /// waits for them (推送、审查结论、验收整改) within their scope. Nearest deadline first.
    func queue(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
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
}
