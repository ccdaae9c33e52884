import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingStore
import TianpingWorkflow

/// `/api/v1/warnings`: the closed loop (推送 → 核查 → 整改 → 办结). Lists and details follow the caller's scope;
/// each step is checked by the store against the lifecycle and who may take it, and recorded immutably.
struct WarningAPI: Sendable {
    let store: TianpingStore
    let caches: WorkbenchCaches
    /// Rule names for the documents a step issues.
    let catalogue: RuleCatalogue

    func register(on routes: SecureRoutes) {
        routes.get("warnings", .permission(.readFindings)) { request, context in
            let (query, page) = try Workbench.listQuery(request)
            let size = try QueryParameters.int(request.uri.queryParameters["pageSize"], "pageSize", default: 50, range: 1...500)
            let result = try await store.warningPage(query, page: page, pageSize: size, scope: context.principal?.scope ?? .nothing,
                now: context.now.secondsSinceEpoch)
            try await AccessAudit.list(store, request, context, count: result.items.count)
            return result.map(WarningView.init)
        }
        routes.get("warnings/:id/attachments", .permission(.readFindings)) { request, context in
            let warning = try await Self.visibleWarning(store, context)
            let items = try await store.attachments(warningID: warning.id)
            try await AccessAudit.list(store, request, context, count: items.count, caseID: warning.caseID)
            return AttachmentList(items: items)
        }
        routes.get("webhooks/deliveries", .permission(.manageAccounts)) { request, context in
            let q = request.uri.queryParameters
            return DeliveryList(items: try await store.deliveries(agency: q["agency"].map(String.init),
                limit: try QueryParameters.int(q["limit"], "limit", default: 100, range: 1...1_000)))
        }
        routes.get("warnings/:id", .permission(.readFindings)) { _, context in
            let warning = try await Self.visibleWarning(store, context)
            try await AccessAudit.warning(store, context, warning)
            var view = WarningView(warning)
            view.transitions = try await store.warningTransitions(warning.id).map(TransitionView.init)
            return view
        }
        routes.post("warnings/:id/transitions", .signedIn) { request, context in
            let id = try Self.warningID(context)
            let body = try await request.decode(as: TransitionRequest.self, context: context)
            let moved = try await move(id, body, context)
            await caches.invalidate()
            return try WarningView(moved).response(from: request, context: context)
        }
        routes.post("warnings/push", .signedIn) { request, context in
            let body = try await request.decode(as: BulkPushRequest.self, context: context)
            var results: [BulkResult] = []
            for id in body.ids.prefix(1_000) {
                do {
                    _ = try await move(id, TransitionRequest(action: WarningAction.push.rawValue, conclusion: nil, comment: body.comment), context)
                    results.append(BulkResult(id: id, ok: true, message: nil))
                } catch let failure as APIFailure {
                    if failure.status == .notFound, let principal = context.principal {
                        await AccessAudit.miss(store, principal, .warning(id), request: request, address: context.address, at: context.now)
                    }
                    results.append(BulkResult(id: id, ok: false, message: failure.message))
                }
            }
            await caches.invalidate()
            return try BulkPushResponse(results: results, pushed: results.filter(\.ok).count).response(from: request, context: context)
        }
    }

    /// The warning named in the path, if the caller's scope includes its case (404 otherwise, for pages and API alike).
    static func visibleWarning(_ store: TianpingStore, _ context: TianpingRequestContext) async throws -> StoredWarning {
        let id = try warningID(context)
        guard let warning = try await store.warning(id, scope: context.principal?.scope ?? .nothing) else {
            throw APIFailure(.notFound, code: "not_found", message: "预警 \(id) 不存在或不在您的数据权限范围内")
        }
        return warning
    }

    /// Warning ids hold a `|` (`case|agency`), which clients send percent-encoded.
    static func warningID(_ context: TianpingRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    func move(_ id: String, _ body: TransitionRequest, _ context: TianpingRequestContext) async throws -> StoredWarning {
        let principal = try context.requirePrincipal()
        guard let action = WarningAction(rawValue: body.action) else {
            throw APIFailure(.badRequest, code: "invalid_parameter", message: "action 应为 \(WarningAction.allCases.map(\.rawValue).joined(separator: "、")) 之一")
        }
        var conclusion: VerificationConclusion?
        if let c = body.conclusion {
            guard let parsed = VerificationConclusion(rawValue: c) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "conclusion 应为 substantiated、partly_substantiated 或 unsubstantiated")
            }
            conclusion = parsed
        }
        do {
            return try await store.transitionWarning(id, action: action, conclusion: conclusion, comment: body.comment, by: principal,
                documents: NoticeComposer(catalogue: catalogue).renderer, now: context.now.secondsSinceEpoch)
        } catch let error as WarningError {
            throw APIFailure(error)  // the bulk push reports each refusal by its HTTP meaning
        }
    }
}

struct TransitionRequest: Decodable {
    var action: String
    var conclusion: String?
    var comment: String?
}

struct BulkPushRequest: Decodable {
    var ids: [String]
    var comment: String?
}

struct BulkResult: Encodable {
    var id: String
    var ok: Bool
    var message: String?
}

struct BulkPushResponse: ResponseEncodable {
    var results: [BulkResult]
    var pushed: Int
}

struct AttachmentList: ResponseEncodable {
    var items: [StoredAttachment]
}

struct DeliveryList: ResponseEncodable {
    var items: [DeliveryRecord]
}

struct TransitionView: Encodable {
    var at: String
    var actor: String
    var role: String
    var from: String?
    var to: String
    var toName: String
    var action: String
    var comment: String?
    var conclusion: String?

    init(_ t: WarningTransition) {
        at = Timestamp(secondsSinceEpoch: t.at).description
        actor = t.actor
        role = t.role
        from = t.from?.rawValue
        to = t.to.rawValue
        toName = t.to.chineseName
        action = t.action
        comment = t.comment
        conclusion = t.conclusion?.rawValue
    }
}

struct WarningView: ResponseEncodable {
    var id: String
    var caseID: String
    var agency: String
    var grade: String
    var gradeName: String
    var state: String
    var stateName: String
    var findings: [String]
    var maxSeverity: String
    var overdueDays: Int
    var conclusion: String?
    var conclusionName: String?
    var dueAt: String?
    var escalations: Int
    var transitions: [TransitionView]?

    init(_ w: StoredWarning) {
        id = w.id
        caseID = w.caseID
        agency = w.agency
        grade = w.grade.rawValue
        gradeName = w.grade.chineseName
        state = w.state.rawValue
        stateName = w.state.chineseName
        findings = w.findingIDs
        maxSeverity = w.maxSeverity.rawValue
        overdueDays = w.overdueDays
        conclusion = w.conclusion?.rawValue
        conclusionName = w.conclusion?.chineseName
        dueAt = w.dueAt.map { Timestamp(secondsSinceEpoch: $0).description }
        escalations = w.escalations
    }
}
