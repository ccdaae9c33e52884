import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingStore
import TianpingWorkflow

/// 督办通知书: the document a push issues, laid out as an official document (issuing body, 文号, title, 主送单位,
/// the findings with their legal basis, the required action and deadline, the issuing body and date, room for the
/// seal) and printable to A4 by the browser.
extension Workbench {
    struct NoticePage {
        var frame: Frame
        var urlID: String
        var kindName: String
        var issuerName: String
        var docNumber: String
        var recipientName: String
        var caseLabel: String
        var caseID: String
        var findings: [FindingRow]
        var comment: String?
        var due: String
        var issued: String
        var issuedBy: String
        /// The 办结 notice: the verification's conclusion and each step of the record, instead of a deadline.
        var closure: Bool
        var conclusion: String
        var steps: [String]
    }

    func notice(_ request: Request, _ context: TianpingRequestContext, kind: WarningDocument.Kind = .supervisionNotice) async throws
        -> Response
    {
        let principal = try signedIn(context)
        let warning = try await WarningAPI.visibleWarning(store, context)
        guard let document = try await store.warningDocuments(warning.id).last(where: { $0.kind == kind }) else {
            throw APIFailure(.notFound, code: "not_found",
                message: kind == .supervisionNotice ? "该预警尚未推送，没有督办通知书" : "该预警尚未办结，没有办结通知书")
        }
        try await AccessAudit.warning(store, context, warning)
        // The document as issued (its snapshot), masked as the caller sees the case today.
        let snapshot = document.snapshot
        let masker = try await store.freeTextMaskers(forCases: [warning.caseID])[warning.caseID] ?? .patterns
        let findings = snapshot.findings.map {
            FindingRow(ruleID: $0.ruleID, ruleName: ruleName($0.ruleID), severityName: "", explanation: masker($0.explanation) as String,
                citation: $0.citation, statusName: "")
        }
        let number = snapshot.caseNumber
        let issuerName = snapshot.issuerName
        let page = NoticePage(
            frame: Frame(document.kind.chineseName, path: "", principal: principal, csrf: context.csrfToken),
            urlID: warning.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? warning.id,
            kindName: document.kind.chineseName, issuerName: issuerName, docNumber: Self.shortName(issuerName) + document.number,
            recipientName: snapshot.recipientName, caseLabel: (number ?? "") + "案件",
            caseID: warning.caseID, findings: findings, comment: document.comment.flatMap { (text: String) -> String? in text.isEmpty ? nil : masker(text) as String },
            due: document.dueAt.map { ChineseDates.day(seconds: $0) } ?? "规定期限", issued: ChineseDates.day(seconds: document.issuedAt),
            issuedBy: document.issuedBy, closure: kind == .closureNotice, conclusion: warning.conclusion?.chineseName ?? "未作结论",
            steps: kind == .closureNotice ? try await store.warningTransitions(warning.id).filter { $0.action != "opened" }.map { t in
                "\(ChineseDates.day(seconds: t.at))　\(WarningAction(rawValue: t.action)?.chineseName ?? Self.systemActionNames[t.action] ?? t.action)"
                    + (t.comment.map { "：" + (masker($0) as String) } ?? "")
            } : [])
        return try templates.render(page, "notice").response(from: request, context: context)
    }

    /// The issuer as a 文号 begins (`天平省委政法委` stays; `青石市人民检察院` → `青石市检`), so that the number reads as
    /// agencies write theirs.
    static func shortName(_ name: String) -> String {
        for (long, short) in [("人民检察院", "检"), ("人民法院", "法"), ("公安局", "公"), ("司法局", "司")] where name.hasSuffix(long) {
            return String(name.dropLast(long.count)) + short
        }
        return name
    }
}
