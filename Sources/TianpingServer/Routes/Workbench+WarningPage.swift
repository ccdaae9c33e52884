import Foundation
import Hummingbird
import Mustache
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingSentencing
import TianpingStore
import TianpingWorkflow

/// A warning's page, the steps taken from its forms, and its attachments.
extension Workbench {
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
        /// Documents the steps issued (督办通知书 …), each with its 文号 and links to its print page and PDF file.
        var documents: [DocumentLink]
    }

    struct DocumentLink {
        var kindName: String
        var number: String
        var issued: String
        var href: String
    }

    func warningPage(_ context: TianpingRequestContext, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let principal = try signedIn(context)
        let warning = try await WarningAPI.visibleWarning(store, context)
        try await AccessAudit.warning(store, context, warning)
        let now = context.now.secondsSinceEpoch
        let names = try await directory.names()
        let row = WarningRow(warning, names: names, now: now, principal: principal, caseNumbers: try await store.caseNumbers([warning.caseID]))
        let (findings, _) = try await findingRows(of: warning, principal: principal)
        let actions = Self.allowedActions(warning, principal).map { action in
            ActionForm(action: action.rawValue, label: action.chineseName, urlID: row.urlID, csrf: context.csrfToken ?? "",
                needsConclusion: action == .conclude,
                commentLabel: WarningPolicy.commentLabel(action), commentRequired: WarningPolicy.requiresComment(action),
                allowsAttachment: action == .conclude || action == .reportRectified)
        }
        let attachments = try await store.attachments(warningID: warning.id).map {
            AttachmentRow(id: $0.id, filename: $0.filename, sizeText: $0.size >= 1024 ? "\($0.size / 1024) KB" : "\($0.size) 字节", sha256: $0.sha256,
                uploadedBy: $0.uploadedBy, at: ChineseDates.minute(seconds: $0.at))
        }
        let transitions = try await store.warningTransitions(warning.id).map { t in
            TransitionRow(at: ChineseDates.minute(seconds: t.at), actor: t.actor == "system" ? "系统" : t.actor,
                role: t.role == "system" ? "自动" : Role(rawValue: t.role)?.chineseName ?? t.role,
                actionName: WarningAction(rawValue: t.action)?.chineseName ?? Self.systemActionNames[t.action] ?? t.action,
                fromName: t.from?.chineseName ?? "—", toName: t.to.chineseName, comment: t.comment, conclusionName: t.conclusion?.chineseName)
        }
        let page = WarningPage(
            frame: Frame("预警 · 案件 " + (row.caseLabel), path: "", principal: principal, csrf: context.csrfToken, notice: notice, error: error),
            warning: row, urlID: row.urlID, findings: findings, hasActions: !actions.isEmpty, actions: actions, attachments: attachments,
            transitions: transitions,
            documents: try await store.warningDocuments(warning.id).map {
                DocumentLink(kindName: $0.kind.chineseName, number: Self.shortName($0.snapshot.issuerName) + $0.number,
                    issued: ChineseDates.day(seconds: $0.issuedAt), href: "/workbench/warnings/\(row.urlID)/documents/\($0.id)")
            })
        return try templates.render(page, "warning").response(status: status)
    }

    /// A warning's findings as rows, their text masked by the case's own persons, and that masker (for other text of
    /// the case, such as a comment).
    func findingRows(of warning: StoredWarning, principal: Principal) async throws -> (rows: [FindingRow], masker: FreeTextMasker) {
        let wanted = Set(warning.findingIDs)
        let maskers = try await store.freeTextMaskers(forCases: [warning.caseID])
        let rows = try await store.findings(FindingQuery(status: nil, caseID: warning.caseID), page: 1, pageSize: 500, scope: principal.scope)
            .items.filter { wanted.contains($0.finding.id) }
            .map { $0.masked(maskers) }
            .map { FindingRow(ruleID: $0.finding.ruleID, ruleName: ruleName($0.finding.ruleID), severityName: $0.finding.severity.chineseName,
                explanation: $0.finding.explanation, citation: $0.finding.citation, statusName: $0.status == .open ? "未销号" : "已销号") }
        return (rows, maskers[warning.caseID] ?? .patterns)
    }

    static let systemActionNames = ["opened": "汇聚生成", "auto_closed": "自动办结", "escalated": "超期升级"]

    /// The steps this caller may take on this warning now: the lifecycle allows them from its state, the caller's
    /// role may take them, and agency steps are for the responsible agency's own staff.
    static func allowedActions(_ w: StoredWarning, _ principal: Principal) -> [WarningAction] {
        WarningPolicy.allowedActions(state: w.state, conclusion: w.conclusion, agency: w.agency, principal: principal)
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
        if let why = WarningPolicy.commentRefusal(action, comment: comment) {
            return try await warningPage(context, error: why, status: .badRequest)
        }
        do {
            try await store.transitionWarning(warning.id, action: action, conclusion: conclusion, comment: comment?.isEmpty == true ? nil : comment,
                attachments: attachment.map { [$0] } ?? [], by: principal, documents: NoticeComposer(catalogue: catalogue).renderer,
                now: context.now.secondsSinceEpoch)
        } catch let error as WarningError {
            return try await warningPage(context, error: error.description, status: APIFailure(error).status)
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
        try await store.audit(AuditEntry(principal, .exportList, at: context.now.secondsSinceEpoch, target: "attachment:\(id) \(meta.filename)",
            caseID: warning.caseID, address: context.address))
        let encoded = meta.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "attachment"
        return Response(status: .ok, headers: [
            .contentType: meta.contentType, .contentDisposition: "attachment; filename=\"attachment-\(id)\"; filename*=UTF-8''\(encoded)",
            .init("X-Content-Type-Options")!: "nosniff",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
