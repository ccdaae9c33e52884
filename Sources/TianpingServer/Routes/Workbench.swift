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
            let q = request.uri.formParameters
            let notice = q["pushed"].flatMap { Int($0) }.map { pushed in
                "已推送 \(pushed) 条预警" + (q["refused"].flatMap { Int($0) }.map { $0 > 0 ? "；\($0) 条未推送（状态已变化或无权推送）" : "" } ?? "")
            }
            let page = try await list(request, context, notice: notice)
            try await AccessAudit.list(store, request, context, count: page.shown)
            return page.html
        }
        routes.get("workbench/warnings.csv", .permission(.readFindings)) { request, context in try await export(request, context, as: .csv) }
        routes.get("workbench/warnings.xlsx", .permission(.readFindings)) { request, context in try await export(request, context, as: .xlsx) }
        routes.post("workbench/warnings/push", .signedIn) { request, context in try await bulkPush(request, context) }
        routes.get("workbench/warnings/:id", .permission(.readFindings)) { request, context in
            let q = request.uri.formParameters
            // Only a known step's name is shown back, never the parameter's text.
            return try await warningPage(context, notice: q["done"].flatMap { WarningAction(rawValue: String($0)) }.map { "已完成：\($0.chineseName)" })
        }
        for kind in WarningDocument.Kind.allCases {
            routes.get("workbench/warnings/:id/\(kind.path)", .permission(.readFindings)) { request, context in
                try await notice(request, context, .latest(kind))
            }
            routes.get("workbench/warnings/:id/\(kind.path).pdf", .permission(.readFindings)) { _, context in
                try await noticePDF(context, .latest(kind))
            }
        }
        routes.get("workbench/warnings/:id/documents/:document", .permission(.readFindings)) { request, context in
            try await notice(request, context, .from(context))
        }
        routes.get("workbench/warnings/:id/documents/:document/pdf", .permission(.readFindings)) { _, context in
            try await noticePDF(context, .from(context))
        }
        routes.post("workbench/warnings/:id/act", .signedIn) { request, context in try await act(request, context) }
        routes.get("workbench/attachments/:id", .permission(.readFindings)) { _, context in try await attachment(context) }
        routes.get("workbench/queue", .permission(.readFindings)) { request, context in try await queue(request, context) }
        routes.get("workbench/rules", .permission(.readFindings)) { _, context in try await rules(context) }
        routes.get("workbench/search", .permission(.readCases)) { request, context in try await search(request, context) }
    }

    func ruleName(_ id: String) -> String { catalogue.name(id) }

    func signedIn(_ context: TianpingRequestContext) throws -> Principal { try context.requirePrincipal() }
}
