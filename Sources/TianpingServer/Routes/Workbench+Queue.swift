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
        struct Section {
            var state: String
            var total: Int
            var shown: Int
            var allHref: String
            var more: Bool
            var warningTable: String
        }

        var frame: Frame
        var explanation: String
        var sections: [Section]
        var total: Int
    }

    /// Rows shown per step; the section says the true total and links to the whole list.
    static let queueSectionSize = 50

    /// The responsible agency's staff see what waits for their agency (签收、核查、整改); supervisors see what
    /// waits for them — a conclusion to review and a rectification to accept first, then warnings to push — within
    /// their scope. One section per step with its true total, nearest deadline first; nothing is cut silently.
    func queue(_ request: Request, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try signedIn(context)
        let now = context.now.secondsSinceEpoch
        let names = try await directory.names()
        let supervisor = principal.role.map { WarningAction.push.roles.contains($0) } ?? false
        let states: [WarningState] = supervisor ? [.concluded, .rectified, .pendingPush] : [.pushed, .verifying, .rectifying]
        var sections: [QueuePage.Section] = []
        var shown = 0
        for state in states {
            var query = WarningListQuery(state: state, sort: .due)
            if !supervisor { query.agency = principal.agency }
            let result = try await store.warningPage(query, page: 1, pageSize: Self.queueSectionSize, scope: principal.scope, now: now)
            let caseNumbers = try await store.caseNumbers(result.items.map(\.caseID))
            shown += result.items.count
            sections.append(QueuePage.Section(state: state.chineseName, total: result.total, shown: result.items.count,
                allHref: "/workbench/warnings?" + Self.queryString(query), more: result.total > result.items.count,
                warningTable: WarningTable.html(result.items.map { WarningRow($0, names: names, now: now, principal: principal, caseNumbers: caseNumbers) },
                    caption: "\(state.chineseName)：共 \(result.total) 条" + (result.total > result.items.count ? "，本页显示期限最近的 \(result.items.count) 条" : ""),
                    selectable: false)))
        }
        let page = QueuePage(
            frame: Frame("本单位待办", path: "/workbench/queue", principal: principal, csrf: context.csrfToken),
            explanation: supervisor
                ? "待审查核查结论、待验收整改、待推送的预警（您的数据权限范围内），每个环节按期限先后排列。"
                : "推送给本单位（\(names.agency(principal.agency))）待签收、核查中、整改中的预警，每个环节按期限先后排列。",
            sections: sections, total: sections.reduce(0) { $0 + $1.total })
        try await AccessAudit.list(store, request, context, count: shown)
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
