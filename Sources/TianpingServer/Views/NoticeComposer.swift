import Foundation
import TianpingCore
import TianpingDocuments
import TianpingRules
import TianpingStore
import TianpingWorkflow

/// The wording of the documents a warning's steps issue (督办通知书, 整改通知书, 办结通知书), written once: the print
/// page and the PDF kept with the warning are both drawn from the ``OfficialDocument`` built here.
struct NoticeComposer: Sendable {
    let catalogue: RuleCatalogue

    /// The store's renderer: the PDF file of a document as issued, its free text masked by `masker`.
    var renderer: WarningDocumentRenderer {
        { document, masker in self.document(document, masker: masker).pdf() }
    }

    /// The document as issued. `fallbackSteps` and `fallbackConclusion` stand in for what documents issued before
    /// their snapshot kept the record (the warning as it is now).
    func document(_ d: WarningDocument, masker: FreeTextMasker, caseID: String? = nil, fallbackSteps: [WarningDocument.Snapshot.Step] = [],
        fallbackConclusion: VerificationConclusion? = nil) -> OfficialDocument
    {
        let s = d.snapshot
        let caseLabel = (s.caseNumber ?? "") + "案件（统一案件编号 \(d.caseID ?? caseID ?? "")）"
        let conclusion = (s.conclusion.flatMap(VerificationConclusion.init(rawValue:)) ?? fallbackConclusion)?.chineseName ?? "未作结论"
        let due = d.dueAt.map { ChineseDates.day(seconds: $0) } ?? "规定期限"
        let comment = d.comment.flatMap { $0.isEmpty ? nil : masker($0) as String }
        let items = s.findings.enumerated().map { i, f in
            OfficialDocument.Block.item(number: i + 1, text: catalogue.name(f.ruleID) + "：" + (masker(f.explanation) as String),
                note: "依据：" + f.citation)
        }
        var blocks: [OfficialDocument.Block] = []
        switch d.kind {
        case .supervisionNotice:
            blocks.append(.paragraph("经执法司法制约监督平台数据比对，你单位承办的\(caseLabel)存在下列风险，现予督办："))
            blocks += items
            if let comment { blocks.append(.paragraph("督办意见：" + comment)) }
            blocks.append(.paragraph("请于\(due)前签收并开展核查，将核查结论及有关材料通过平台报送我单位；经核查属实的，应当依法整改并报告整改情况。"
                + "以上风险为数据比对结果，须经核查后方可认定。"))
        case .rectificationNotice:
            blocks.append(.paragraph("你单位承办的\(caseLabel)下列风险事项，经你单位核查，结论为“\(conclusion)”。你单位报告的整改情况经审查尚未到位，"
                + "现退回重新整改："))
            blocks += items
            if let comment { blocks.append(.paragraph("整改要求：" + comment)) }
            blocks.append(.paragraph("请于\(due)前完成整改，并将整改情况及有关材料通过平台报告我单位。"))
        case .closureNotice:
            blocks.append(.paragraph("我单位督办的你单位承办的\(caseLabel)下列风险事项，经你单位核查，结论为“\(conclusion)”，现予办结："))
            blocks += items
            let steps = (s.steps ?? fallbackSteps).filter { $0.action != "opened" }
            if !steps.isEmpty {
                blocks.append(.paragraph("办理经过："))
                for step in steps {
                    let name = WarningAction(rawValue: step.action)?.chineseName ?? Workbench.systemActionNames[step.action] ?? step.action
                    blocks.append(.paragraph("\(ChineseDates.day(seconds: step.at))　\(name)" + (step.comment.map { "：" + (masker($0) as String) } ?? "")))
                }
            }
            if let comment { blocks.append(.paragraph("办结意见：" + comment)) }
            blocks.append(.paragraph("本事项办理情况已记入平台，每一步均不可更改。"))
        }
        return OfficialDocument(issuer: s.issuerName, number: Workbench.shortName(s.issuerName) + d.number, title: d.kind.chineseName,
            recipient: s.recipientName, blocks: blocks, signatory: s.issuerName, date: ChineseDates.day(seconds: d.issuedAt),
            remark: "经办人：\(d.issuedBy)", issuedAt: Date(timeIntervalSince1970: TimeInterval(d.issuedAt)))
    }
}
