import Foundation
import SQLKit
import TianpingLedger

/// A report kept in a case's dossier (the 类案检索报告 today): the file as it was produced, who kept it and when,
/// and its leaf in the dossier log, so that anyone holding the file can prove it is the one kept with the case.
public struct KeptCaseReport: Sendable, Codable, Hashable {
    /// The `kind` of a kept report's leaf (exchange records use their record kinds).
    public static let ledgerKind = "case_report"
    /// Five MiB: a report of a hundred explained judgments is a few hundred KB.
    public static let maximumBytes = 5 * 1024 * 1024

    public var id: Int64
    public var caseID: String
    /// What it is, stable English: `similar_case_report`.
    public var kind: String
    public var title: String
    /// The account that kept it and its agency (the leaf's source).
    public var keptBy: String
    public var agency: String
    public var keptAt: Int64
    public var contentType: String
    public var sha256: String
    public var leafIndex: Int?

    /// The dossier-log leaf: a document of the case from the keeping agency, its SHA-256 over the file's bytes.
    public func ledgerEntry() -> LedgerEntry {
        LedgerEntry(subject: .document, kind: Self.ledgerKind, source: agency, id: "report-\(id)", version: 1, caseID: caseID, sha256: sha256,
            receivedAt: keptAt)
    }
}

extension TianpingStore {
    /// Keeps `bytes` as a report of `caseID` and appends its SHA-256 to the dossier log, in one transaction.
    public func keepCaseReport(caseID: String, kind: String, title: String, keptBy: String, agency: String, at: Int64, contentType: String,
        bytes: [UInt8]) async throws -> KeptCaseReport
    {
        guard !bytes.isEmpty, bytes.count <= KeptCaseReport.maximumBytes else {
            throw StoreError.invalid("报告为空或超过 \(KeptCaseReport.maximumBytes / 1024 / 1024) MB")
        }
        let dialect = self.dialect
        let sha256 = LedgerDigest.sha256Hex(bytes)
        return try await transaction { db in
            let id = try await db.insert(into: "case_reports")
                .columns("case_id", "kind", "title", "kept_by", "agency", "kept_at", "content_type", "body", "sha256")
                .values(SQLBind(caseID), SQLBind(kind), SQLBind(title), SQLBind(keptBy), SQLBind(agency), SQLBind(at), SQLBind(contentType),
                    SQLBind(Data(bytes)), SQLBind(sha256))
                .returning("report_id").first()?.decode(column: "report_id", as: Int64.self) ?? 0
            var report = KeptCaseReport(id: id, caseID: caseID, kind: kind, title: title, keptBy: keptBy, agency: agency, keptAt: at,
                contentType: contentType, sha256: sha256)
            try await Self.lockLeavesForAppend(db: db, dialect: dialect)
            let leaf = try await Self.nextLeafIndex(db: db)
            try await Self.insertLeaves([(leaf, report.ledgerEntry())], db: db, sqlite: nil)
            try await db.update("case_reports").set("leaf_index", to: leaf).where("report_id", .equal, id).run()
            report.leafIndex = leaf
            return report
        }
    }

    /// Replaces a kept report's bytes behind the log's back: what an attacker with database access would do. For the
    /// tests of the self-audit only.
    public func overwriteCaseReportForTests(_ id: Int64, bytes: [UInt8]) async throws {
        try await writer.update("case_reports").set("body", to: SQLBind(Data(bytes))).where("report_id", .equal, id).run()
    }

    /// The reports kept with a case, oldest first (without their bytes).
    public func caseReports(caseID: String) async throws -> [KeptCaseReport] {
        try await readCaseReports { $0.where("case_id", .equal, caseID) }
    }

    public func caseReport(_ id: Int64) async throws -> KeptCaseReport? {
        try await readCaseReports { $0.where("report_id", .equal, id) }.first
    }

    /// The bytes of a kept report.
    public func caseReportBytes(_ id: Int64) async throws -> [UInt8]? {
        try await reader.select().column("body").from("case_reports").where("report_id", .equal, id).first()?
            .decode(column: "body", as: Data.self).withUnsafeBytes { [UInt8]($0) }
    }

    func readCaseReports(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [KeptCaseReport] {
        try await filter(reader.select().columns("report_id", "case_id", "kind", "title", "kept_by", "agency", "kept_at", "content_type", "sha256",
            "leaf_index").from("case_reports")).orderBy("report_id").all().map { row in
            KeptCaseReport(id: try row.decode(column: "report_id", as: Int64.self), caseID: try row.decode(column: "case_id", as: String.self),
                kind: try row.decode(column: "kind", as: String.self), title: try row.decode(column: "title", as: String.self),
                keptBy: try row.decode(column: "kept_by", as: String.self), agency: try row.decode(column: "agency", as: String.self),
                keptAt: try row.decode(column: "kept_at", as: Int64.self), contentType: try row.decode(column: "content_type", as: String.self),
                sha256: try row.decode(column: "sha256", as: String.self), leafIndex: try row.decode(column: "leaf_index", as: Int?.self))
        }
    }

    /// Kept reports against their leaves: the row that claims the leaf, the SHA-256 of its kept bytes, and the entry
    /// rebuilt from the row.
    func compareWithKeptReports(_ leaves: [(index: Int, entry: LedgerEntry)], into report: inout LedgerAuditReport) async throws {
        guard !leaves.isEmpty else { return }
        var rows: [Int: (report: KeptCaseReport, body: [UInt8])] = [:]
        for chunk in leaves.map(\.index).chunked(500) {
            for row in try await reader.select().columns("report_id", "leaf_index", "body").from("case_reports").where("leaf_index", .in, Array(chunk)).all() {
                guard let kept = try await caseReport(try row.decode(column: "report_id", as: Int64.self)) else { continue }
                rows[try row.decode(column: "leaf_index", as: Int.self)] = (kept, [UInt8](try row.decode(column: "body", as: Data.self)))
            }
        }
        for (index, entry) in leaves {
            func problem(_ message: String) {
                report.problems.append(.init(leafIndex: index, caseID: entry.caseID, record: "卷宗报告 \(entry.id)", message: message))
            }
            report.recordsChecked += 1
            guard let (kept, body) = rows[index] else {
                problem("存证的卷宗报告已从数据库中消失（或其存证序号被改动）")
                continue
            }
            guard LedgerDigest.sha256Hex(body) == entry.sha256 else {
                problem("卷宗报告的文件与存证时的哈希不符：文件在存入后被改动")
                continue
            }
            if kept.ledgerEntry() != entry { problem("卷宗报告的案件、存入单位或时间与存证条目不符：记录在存入后被改动") }
        }
    }
}
