import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingDocuments
import TianpingRules
import TianpingStore
import TianpingWorkflow

/// The documents a warning's steps issue (督办通知书, 整改通知书, 办结通知书): a print page laid out as an official
/// document, and the PDF file kept with the warning since it was issued (its SHA-256 in the dossier log).
extension Workbench {
    struct NoticePage {
        struct Block {
            var text: String
            var note: String?
        }

        var frame: Frame
        var urlID: String
        var kindName: String
        var pdfHref: String
        var issuer: String
        var number: String
        var recipient: String
        var blocks: [Block]
        var signatory: String
        var date: String
        var remark: String?
        /// Where the kept file is recorded, or `nil` for a document issued before files were kept.
        var pdfSHA256: String?
        var leafIndex: Int?
    }

    /// Which of a warning's documents a URL names: the latest of a kind (`…/notice`) or one by its id (`…/documents/7`).
    enum DocumentChoice: Sendable {
        case latest(WarningDocument.Kind)
        case id(Int64)

        func pick(_ documents: [WarningDocument]) -> WarningDocument? {
            switch self {
            case .latest(let kind): return documents.last { $0.kind == kind }
            case .id(let id): return documents.first { $0.id == id }
            }
        }

        var missing: String {
            switch self {
            case .latest(.supervisionNotice): return "该预警尚未推送，没有督办通知书"
            case .latest(.rectificationNotice): return "该预警的整改未被退回，没有整改通知书"
            case .latest(.closureNotice): return "该预警尚未办结，没有办结通知书"
            case .id: return "该预警没有这份文书"
            }
        }

        static func from(_ context: TianpingRequestContext) throws -> DocumentChoice {
            guard let id = context.parameters.get("document").flatMap(Int64.init) else {
                throw APIFailure(.notFound, code: "not_found", message: "该预警没有这份文书")
            }
            return .id(id)
        }
    }

    /// A document of a warning the caller may see, drawn with internal masks (the workbench shows documents as they
    /// were issued to the responsible agency).
    private func issuedDocument(_ context: TianpingRequestContext, _ choice: DocumentChoice) async throws
        -> (StoredWarning, WarningDocument, OfficialDocument)
    {
        let warning = try await WarningAPI.visibleWarning(store, context)
        guard let document = choice.pick(try await store.warningDocuments(warning.id)) else {
            throw APIFailure(.notFound, code: "not_found", message: choice.missing)
        }
        try await AccessAudit.warning(store, context, warning)
        let masker = try await store.freeTextMaskers(forCases: [warning.caseID])[warning.caseID] ?? .patterns
        let steps = document.snapshot.steps == nil
            ? try await store.warningTransitions(warning.id).map { WarningDocument.Snapshot.Step(at: $0.at, action: $0.action, comment: $0.comment) }
            : []
        let official = NoticeComposer(catalogue: catalogue).document(document, masker: masker, caseID: warning.caseID, fallbackSteps: steps,
            fallbackConclusion: warning.conclusion)
        return (warning, document, official)
    }

    func notice(_ request: Request, _ context: TianpingRequestContext, _ choice: DocumentChoice) async throws -> Response {
        let principal = try signedIn(context)
        let (warning, document, official) = try await issuedDocument(context, choice)
        let urlID = warning.id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? warning.id
        let page = NoticePage(
            frame: Frame(document.kind.chineseName, path: "", principal: principal, csrf: context.csrfToken), urlID: urlID,
            kindName: document.kind.chineseName, pdfHref: "/workbench/warnings/\(urlID)/documents/\(document.id)/pdf",
            issuer: official.issuer, number: official.number, recipient: official.recipient,
            blocks: official.blocks.map { block in
                switch block {
                case .paragraph(let text): return NoticePage.Block(text: text)
                case .item(let number, let text, let note): return NoticePage.Block(text: "\(number)．" + text, note: note)
                }
            },
            signatory: official.signatory, date: official.date, remark: official.remark, pdfSHA256: document.pdfSHA256,
            leafIndex: document.leafIndex)
        return try templates.render(page, "notice").response(from: request, context: context)
    }

    /// The file as issued when one was kept; for older documents, one drawn now from the issued text.
    func noticePDF(_ context: TianpingRequestContext, _ choice: DocumentChoice) async throws -> Response {
        let (warning, document, official) = try await issuedDocument(context, choice)
        let bytes = try await store.warningDocumentPDF(document.id) ?? official.pdf()
        let filename = "\(document.kind.chineseName)-\(official.number)-\(warning.caseID).pdf"
        return Response(status: .ok, headers: [
            .contentType: "application/pdf",
            .contentDisposition: "inline; filename=\"notice.pdf\"; filename*=UTF-8''"
                + (filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "notice.pdf"),
        ], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
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
