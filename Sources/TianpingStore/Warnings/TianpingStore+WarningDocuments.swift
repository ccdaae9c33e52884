import Foundation
import SQLKit
import TianpingCore
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingWorkflow

/// A document a warning's step issues, numbered as Chinese official documents are: per issuing body, kind and year
/// (`〔2026〕12号`), never reused.
public struct WarningDocument: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 督办通知书: issued when a supervisor pushes a warning to the responsible agency.
        case supervisionNotice = "supervision_notice"
        /// 整改通知书: issued when the supervisor sends a reported rectification back as not yet done (退回整改),
        /// stating what is still to be put right and by when.
        case rectificationNotice = "rectification_notice"
        /// 督办事项办结通知书: issued when the supervisor closes the warning, recording the verification and rectification.
        case closureNotice = "closure_notice"

        public var chineseName: String {
            switch self {
            case .supervisionNotice: return "督办通知书"
            case .rectificationNotice: return "整改通知书"
            case .closureNotice: return "督办事项办结通知书"
            }
        }

        /// The character a number of this kind carries after the issuer (`…督〔2026〕12号`, `…督整〔2026〕2号`,
        /// `…督结〔2026〕3号`).
        var numberMark: String {
            switch self {
            case .supervisionNotice: return "督"
            case .rectificationNotice: return "督整"
            case .closureNotice: return "督结"
            }
        }

        /// The path segment of its page under the warning.
        public var path: String {
            switch self {
            case .supervisionNotice: return "notice"
            case .rectificationNotice: return "rectification"
            case .closureNotice: return "closure"
            }
        }

        /// The document a step issues, if any.
        public static func issued(by action: WarningAction, from state: WarningState) -> Kind? {
            switch (action, state) {
            case (.push, _): return .supervisionNotice
            case (.returnForReverification, .rectified): return .rectificationNotice
            case (.close, _): return .closureNotice
            default: return nil
            }
        }
    }

    public var id: Int64
    public var warningID: String
    public var kind: Kind
    /// The issuing agency's code.
    public var issuer: String
    public var year: Int
    public var serial: Int
    /// `〔2026〕12号`, the part of the 文号 that the store decides; pages put the issuer's name before it.
    public var number: String
    /// The responsible agency's code (主送单位).
    public var recipient: String
    public var issuedBy: String
    public var issuedAt: Int64
    /// The deadline the document sets (for a 督办通知书: to accept and verify).
    public var dueAt: Int64?
    public var comment: String?
    /// What the document said when it was issued: a 文号 names one text, so a reprint after the findings were
    /// re-aggregated or an agency renamed shows the same words.
    public var snapshot: Snapshot
    /// The case the warning is about (kept so that the case's dossier can list the document's leaf).
    public var caseID: String?
    /// The PDF file as issued: its SHA-256 and the dossier-log leaf that records it (`nil` for documents issued
    /// before files were kept, or by a caller that gave no renderer).
    public var pdfSHA256: String?
    public var leafIndex: Int?

    public struct Snapshot: Sendable, Equatable, Codable {
        public struct Item: Sendable, Equatable, Codable {
            public var ruleID: String
            public var explanation: String
            public var citation: String
        }

        /// One step of the warning's record up to the document (for the 办结 notice's account of what was done).
        public struct Step: Sendable, Equatable, Codable {
            public var at: Int64
            public var action: String
            public var comment: String?

            public init(at: Int64, action: String, comment: String?) {
                self.at = at
                self.action = action
                self.comment = comment
            }
        }

        public var caseNumber: String?
        public var issuerName: String
        public var recipientName: String
        public var findings: [Item]
        /// The agency's verification conclusion when the document was issued (`substantiated` …).
        public var conclusion: String?
        /// The steps taken before the document, oldest first (absent in documents issued before they were kept).
        public var steps: [Step]?
    }
}

/// Renders an issued document as the PDF file kept with it, its free text masked by the case's masker. Supplied by
/// the front end that knows the rule names and the layout (the server); the store keeps and logs the bytes.
public typealias WarningDocumentRenderer = @Sendable (WarningDocument, FreeTextMasker) throws -> [UInt8]

extension TianpingStore {
    /// Issues a document in the step's transaction: the next serial of its issuer, kind and year; with a renderer,
    /// its PDF file is kept in the row and its SHA-256 appended to the dossier log as a document leaf of the case.
    static func issueDocument(_ kind: WarningDocument.Kind, warning: StoredWarning, issuer: String, issuedBy: String,
        at: Int64, dueAt: Int64?, comment: String?, conclusion: VerificationConclusion?, render: (WarningDocumentRenderer, FreeTextMasker)?,
        dialect: StoreDialect, db: any SQLDatabase) async throws
    {
        let warningID = warning.id, recipient = warning.agency
        // PostgreSQL: another process may issue at the same time; SQLite's writer transaction is already exclusive.
        if dialect == .postgres { try await db.raw("LOCK TABLE warning_documents IN SHARE ROW EXCLUSIVE MODE").run() }
        let year = Timestamp(secondsSinceEpoch: at).localDate.year
        let serial = try await db.select().column(SQLFunction("MAX", args: SQLColumn("serial")), as: "n").from("warning_documents")
            .where("issuer", .equal, issuer).where("kind", .equal, kind.rawValue).where("year", .equal, year)
            .first()?.decode(column: "n", as: Int?.self).map { $0 + 1 } ?? 1
        // The text as issued: the warning's findings, the case's 案号, the agencies' names, the steps so far.
        let decoder = JSONDecoder()
        var items: [WarningDocument.Snapshot.Item] = []
        for chunk in warning.findingIDs.chunked(500) {
            for row in try await db.select().column("body").from("findings").where("finding_id", .in, Array(chunk)).all() {
                let f = try decoder.decode(Finding.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
                items.append(.init(ruleID: f.ruleID, explanation: f.explanation, citation: f.citation))
            }
        }
        func name(_ code: String) async throws -> String {
            try await db.select().column("name").from("agencies").where("code", .equal, code).first()?.decode(column: "name", as: String.self) ?? code
        }
        let caseNumber = try await db.select().column("case_number").from("cases").where("case_id", .equal, warning.caseID).first()?
            .decode(column: "case_number", as: String?.self)
        let steps = try await db.select().columns("at", "action", "comment").from("warning_transitions").where("warning_id", .equal, warningID)
            .orderBy("id").all().map {
                WarningDocument.Snapshot.Step(at: try $0.decode(column: "at", as: Int64.self), action: try $0.decode(column: "action", as: String.self),
                    comment: try $0.decode(column: "comment", as: String?.self))
            }
        let snapshot = WarningDocument.Snapshot(caseNumber: caseNumber, issuerName: try await name(issuer),
            recipientName: try await name(recipient), findings: items.sorted { ($0.ruleID, $0.explanation) < ($1.ruleID, $1.explanation) },
            conclusion: conclusion?.rawValue, steps: steps)
        let number = kind.numberMark + "〔\(year)〕\(serial)号"
        let id = try await db.insert(into: "warning_documents")
            .columns("warning_id", "kind", "issuer", "year", "serial", "number", "recipient", "issued_by", "issued_at", "due_at", "comment",
                "snapshot", "case_id")
            .values(SQLBind(warningID), SQLBind(kind.rawValue), SQLBind(issuer), SQLBind(year), SQLBind(serial),
                SQLBind(number), SQLBind(recipient), SQLBind(issuedBy), SQLBind(at), SQLBind(dueAt),
                SQLBind(comment), SQLBind(String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)), SQLBind(warning.caseID))
            .returning("document_id").first()?.decode(column: "document_id", as: Int64.self) ?? 0
        guard let (renderer, masker) = render else { return }
        let document = WarningDocument(id: id, warningID: warningID, kind: kind, issuer: issuer, year: year, serial: serial, number: number,
            recipient: recipient, issuedBy: issuedBy, issuedAt: at, dueAt: dueAt, comment: comment, snapshot: snapshot, caseID: warning.caseID)
        let pdf = try renderer(document, masker)
        let sha256 = ContentHash.sha256Hex(pdf)
        try await lockLeavesForAppend(db: db, dialect: dialect)
        let leaf = try await nextLeafIndex(db: db)
        try await insertLeaves([(leaf, document.ledgerEntry(sha256: sha256))], db: db, sqlite: nil)
        try await db.update("warning_documents").set("pdf", to: SQLBind(Data(pdf))).set("pdf_sha256", to: sha256).set("leaf_index", to: leaf)
            .where("document_id", .equal, id).run()
    }

    /// The documents a warning's steps issued, oldest first.
    public func warningDocuments(_ warningID: String) async throws -> [WarningDocument] {
        try await readWarningDocuments { $0.where("warning_id", .equal, warningID) }
    }

    public func warningDocument(_ id: Int64) async throws -> WarningDocument? {
        try await readWarningDocuments { $0.where("document_id", .equal, id) }.first
    }

    private func readWarningDocuments(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [WarningDocument] {
        try await filter(reader.select().columns("document_id", "warning_id", "kind", "issuer", "year", "serial", "number", "recipient",
            "issued_by", "issued_at", "due_at", "comment", "snapshot", "case_id", "pdf_sha256", "leaf_index").from("warning_documents"))
            .orderBy("document_id").all().map { row in
                WarningDocument(id: try row.decode(column: "document_id", as: Int64.self),
                    warningID: try row.decode(column: "warning_id", as: String.self),
                    kind: try WarningDocument.Kind(rawValue: row.decode(column: "kind", as: String.self)).orThrow(StoreError.corrupt("文书类型无法识别")),
                    issuer: try row.decode(column: "issuer", as: String.self), year: try row.decode(column: "year", as: Int.self),
                    serial: try row.decode(column: "serial", as: Int.self), number: try row.decode(column: "number", as: String.self),
                    recipient: try row.decode(column: "recipient", as: String.self), issuedBy: try row.decode(column: "issued_by", as: String.self),
                    issuedAt: try row.decode(column: "issued_at", as: Int64.self), dueAt: try row.decode(column: "due_at", as: Int64?.self),
                    comment: try row.decode(column: "comment", as: String?.self),
                    snapshot: try JSONDecoder().decode(WarningDocument.Snapshot.self, from: Data(try row.decode(column: "snapshot", as: String.self).utf8)),
                    caseID: try row.decode(column: "case_id", as: String?.self), pdfSHA256: try row.decode(column: "pdf_sha256", as: String?.self),
                    leafIndex: try row.decode(column: "leaf_index", as: Int?.self))
            }
    }

    /// The PDF file kept with a document, if one was.
    public func warningDocumentPDF(_ documentID: Int64) async throws -> [UInt8]? {
        try await reader.select().column("pdf").from("warning_documents").where("document_id", .equal, documentID).first()?
            .decode(column: "pdf", as: Data?.self).map { [UInt8]($0) }
    }
}

extension WarningDocument {
    /// The `kind` of an issued document's leaf (exchange records use their record kinds).
    public static let ledgerKind = "warning_document"

    /// The dossier-log leaf of the issued file: a document of the case, from the issuing body, its SHA-256 over the
    /// PDF's bytes, so that anyone holding the file can prove it is the one issued.
    public func ledgerEntry(sha256: String) -> LedgerEntry {
        LedgerEntry(subject: .document, kind: Self.ledgerKind, source: issuer, id: issuer + number, version: 1, caseID: caseID,
            sha256: sha256, receivedAt: issuedAt)
    }
}
