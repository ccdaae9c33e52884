import Foundation
import SQLKit
import TianpingCore
import TianpingLedger
import TianpingRules

/// One thing the self-audit found that no longer matches the log.
public struct LedgerAuditProblem: Sendable, Hashable, Codable {
    public var leafIndex: Int?
    public var caseID: String?
    /// The record concerned (`event E1，报送单位 520102GA01，第 2 版`), when it can be named.
    public var record: String?
    public var message: String
}

/// What a self-audit of the dossier log checked and found.
public struct LedgerAuditReport: Sendable, Hashable, Codable {
    public var leaves = 0
    public var recordsChecked = 0
    public var checkpointSize: Int?
    /// Whether the root recomputed from the stored entries equals the latest signed checkpoint's.
    public var checkpointMatches: Bool?
    public var problems: [LedgerAuditProblem] = []
    /// Access audit rows checked against their leaves (``AccessAuditLog``), and the size of that log's latest
    /// signed checkpoint.
    public var accessAuditEntries = 0
    public var accessAuditCheckpointSize: Int?

    public var isClean: Bool { problems.isEmpty && checkpointMatches != false }
}

extension TianpingStore {
    static let auditChunk = 5_000

    /// Recomputes every leaf from what is stored and compares: the leaf hash with its entry, the entry with the
    /// record row (key, case, hash, arrival), the row's hash with its body, a document's declared hash with its
    /// leaf, and the tree's root with the latest signed checkpoint. Records outside the log are reported too.
    ///
    /// Reads the whole log; the server runs it periodically and the CLI on demand (`tianping ledger audit`).
    ///
    /// - Parameter trustedKeys: the log's public keys as its operator holds them (from the key files); when empty,
    ///   the keys recorded in the database are used, which an intruder could have changed.
    public func auditLedger(trustedKeys: [NoteVerifier] = []) async throws -> LedgerAuditReport {
        var report = LedgerAuditReport()
        let checkpoint = try await latestCheckpoint()
        report.checkpointSize = checkpoint?.checkpoint.size
        var tree = MerkleTree()
        var start = 0
        while true {
            let rows = try await reader.select().columns("leaf_index", "leaf_hash", "entry").from("ledger_leaves")
                .where("leaf_index", .greaterThanOrEqual, start).orderBy("leaf_index").limit(Self.auditChunk).all()
            if rows.isEmpty { break }
            var leaves: [(index: Int, entry: LedgerEntry?, text: String)] = []
            for row in rows {
                let index = try row.decode(column: "leaf_index", as: Int.self)
                let text = try row.decode(column: "entry", as: String.self)
                let stored = try row.decode(column: "leaf_hash", as: String.self)
                let computed = MerkleHashing.leaf(Array(text.utf8))
                if index != tree.size {
                    report.problems.append(.init(leafIndex: index, message: "存证日志缺少第 \(tree.size) 号叶子（下一条为第 \(index) 号）"))
                }
                tree.append(computed)
                if computed.hex != stored {
                    report.problems.append(.init(leafIndex: index, message: "叶子哈希与叶子条目不符：存证日志表被改动"))
                }
                let entry = try? LedgerEntry(text: text)
                if entry == nil { report.problems.append(.init(leafIndex: index, message: "叶子条目无法解析：存证日志表被改动")) }
                leaves.append((index, entry, text))
            }
            start = (leaves.last?.index ?? start) + 1
            try await compareWithRecords(leaves.compactMap { l in l.entry.map { (l.index, $0) } }, into: &report)
        }
        report.leaves = tree.size
        // Records that never reached the log (written around the ingest path).
        for row in try await reader.select().columns("record_id", "source", "kind", "version", "case_id").from("records")
            .where("leaf_index", .is, SQLLiteral.null).limit(100).all()
        {
            report.problems.append(.init(leafIndex: nil, caseID: try row.decode(column: "case_id", as: String?.self),
                record: Self.describe(kind: try row.decode(column: "kind", as: String.self),
                    id: try row.decode(column: "record_id", as: String.self), source: try row.decode(column: "source", as: String.self),
                    version: try row.decode(column: "version", as: Int.self)),
                message: "记录不在存证日志中：未经导入通道写入数据库"))
        }
        // Record rows pointing past the log's end, or two rows claiming one leaf.
        for column in ["leaf_index", "document_leaf_index"] {
            for row in try await reader.select().columns("record_id", "kind", "source", "version", "case_id", column).from("records")
                .where(SQLIdentifier(column), .greaterThanOrEqual, tree.size).limit(100).all()
            {
                report.problems.append(.init(leafIndex: try row.decode(column: column, as: Int?.self), caseID: try row.decode(column: "case_id", as: String?.self),
                    record: Self.describe(kind: try row.decode(column: "kind", as: String.self), id: try row.decode(column: "record_id", as: String.self),
                        source: try row.decode(column: "source", as: String.self), version: try row.decode(column: "version", as: Int.self)),
                    message: "记录登记的叶子序号超出存证日志（共 \(tree.size) 个叶子）：叶子被删除，或记录是伪造的"))
            }
            for row in try await reader.select().column(SQLIdentifier(column), as: "leaf").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("records").where(SQLIdentifier(column), .isNot, SQLLiteral.null).groupBy(column)
                .having(SQLFunction("COUNT", args: SQLLiteral.all), .greaterThan, SQLLiteral.numeric("1")).limit(100).all()
            {
                report.problems.append(.init(leafIndex: try row.decode(column: "leaf", as: Int.self),
                    message: "\(try row.decode(column: "n", as: Int.self)) 条记录登记了同一个叶子：有记录是伪造的"))
            }
        }
        // Every signed checkpoint: a valid signature by a trusted key, its root column, and the recomputed root.
        let keys = trustedKeys.isEmpty ? try await ledgerKeys().compactMap { try? NoteVerifier(encoded: $0.verifier) } : trustedKeys
        let stored = try await allCheckpoints()
        if stored.isEmpty, tree.size > 0, !(try await ledgerKeys()).isEmpty {
            report.problems.append(.init(message: "日志已签署过检查点，但检查点表为空：检查点被删除"))
        }
        for (size, rootColumn, note) in stored {
            guard let text = keys.lazy.compactMap({ try? $0.verify(note) }).first, let signed = try? Checkpoint(text: text) else {
                report.problems.append(.init(message: "树大小 \(size) 的检查点没有受信任公钥的有效签名：检查点被改动或伪造"))
                continue
            }
            if signed.size != size || signed.root.hex != rootColumn {
                report.problems.append(.init(message: "树大小 \(size) 的检查点记录与其签名内容不符：检查点表被改动"))
            } else if size <= tree.size, try tree.root(size: size) != signed.root {
                report.problems.append(.init(message: "由存储的叶子重算的树大小 \(size) 的根哈希与该签名检查点不符：已存证的条目被改动"))
            }
        }
        let access = try await auditAccessLog(keys: keys)
        report.accessAuditEntries = access.entries
        report.accessAuditCheckpointSize = access.checkpointSize
        report.problems += access.problems
        if let checkpoint {
            if checkpoint.checkpoint.size > tree.size {
                report.checkpointMatches = false
                report.problems.append(.init(message: "存证日志只有 \(tree.size) 个叶子，少于已签名检查点的 \(checkpoint.checkpoint.size) 个：叶子被删除"))
            } else {
                report.checkpointMatches = try tree.root(size: checkpoint.checkpoint.size) == checkpoint.checkpoint.root
                if report.checkpointMatches == false {
                    report.problems.append(.init(message: "由存储的叶子条目重算的根哈希与已签名检查点（树大小 \(checkpoint.checkpoint.size)）不符：已存证的条目被改动"))
                }
            }
        }
        return report
    }

    private func compareWithRecords(_ all: [(index: Int, entry: LedgerEntry)], into report: inout LedgerAuditReport)
        async throws
    {
        let issued = all.filter { $0.entry.subject == .document && $0.entry.kind == WarningDocument.ledgerKind }
        try await compareWithIssuedDocuments(issued, into: &report)
        try await compareWithKeptReports(all.filter { $0.entry.subject == .document && $0.entry.kind == KeptCaseReport.ledgerKind }, into: &report)
        let platformKinds: Set<String> = [WarningDocument.ledgerKind, KeptCaseReport.ledgerKind]
        let leaves = all.filter { !($0.entry.subject == .document && platformKinds.contains($0.entry.kind)) }
        struct Key: Hashable { let id, source, kind: String; let version: Int }
        var rowsByKey: [Key: (leaf: Int?, documentLeaf: Int?, hash: String, caseID: String?, received: Int64, body: String)] = [:]
        for chunk in Array(Set(leaves.map(\.entry.id))).chunked(500) {
            for row in try await reader.select().columns("record_id", "source", "kind", "version", "content_hash", "case_id",
                "ingested_at", "body", "leaf_index", "document_leaf_index").from("records").where("record_id", .in, Array(chunk)).all()
            {
                let key = Key(id: try row.decode(column: "record_id", as: String.self), source: try row.decode(column: "source", as: String.self),
                    kind: try row.decode(column: "kind", as: String.self), version: try row.decode(column: "version", as: Int.self))
                rowsByKey[key] = (try row.decode(column: "leaf_index", as: Int?.self), try row.decode(column: "document_leaf_index", as: Int?.self),
                    try row.decode(column: "content_hash", as: String.self), try row.decode(column: "case_id", as: String?.self),
                    try row.decode(column: "ingested_at", as: Int64.self), try row.decode(column: "body", as: String.self))
            }
        }
        for (index, entry) in leaves {
            let label = Self.describe(kind: entry.kind, id: entry.id, source: entry.source, version: entry.version)
            func problem(_ message: String) {
                report.problems.append(.init(leafIndex: index, caseID: entry.caseID, record: label, message: message))
            }
            guard let row = rowsByKey[Key(id: entry.id, source: entry.source, kind: entry.kind, version: entry.version)] else {
                problem("存证的记录已从数据库中消失（或其编号、来源、版本被改动）")
                continue
            }
            switch entry.subject {
            case .record:
                report.recordsChecked += 1
                let rebuilt = Self.recordEntry(kind: entry.kind, source: entry.source, id: entry.id, version: entry.version,
                    caseID: row.caseID, contentHash: row.hash, receivedAt: row.received)
                if row.leaf != index {
                    problem("记录登记的叶子序号（\(row.leaf.map(String.init) ?? "无")）与存证日志（\(index)）不符")
                } else if LedgerDigest.sha256Hex(Array(row.body.utf8)) != entry.sha256 {
                    problem("记录内容与存证时的哈希不符：内容在存证后被改动")
                } else if rebuilt != entry {
                    problem("记录的内容哈希、所属案件或接收时间与存证条目不符：记录在存证后被改动")
                }
            case .document:
                if row.documentLeaf != index {
                    problem("文书登记的正文叶子序号与存证日志不符")
                } else if Self.documentContentHash(body: row.body) != entry.sha256 {
                    problem("文书声明的正文哈希与存证时不符：文书记录在存证后被改动")
                }
            }
        }
    }

    /// The files of issued documents (督办通知书 …): the row that claims the leaf, the SHA-256 of its kept bytes, and
    /// the entry rebuilt from the row.
    private func compareWithIssuedDocuments(_ leaves: [(index: Int, entry: LedgerEntry)], into report: inout LedgerAuditReport)
        async throws
    {
        guard !leaves.isEmpty else { return }
        var rows: [Int: (document: WarningDocument, pdf: [UInt8]?)] = [:]
        for chunk in leaves.map(\.index).chunked(500) {
            for row in try await reader.select().columns("document_id", "leaf_index", "pdf").from("warning_documents")
                .where("leaf_index", .in, Array(chunk)).all()
            {
                let id = try row.decode(column: "document_id", as: Int64.self)
                guard let document = try await warningDocument(id) else { continue }
                rows[try row.decode(column: "leaf_index", as: Int.self)] = (document, try row.decode(column: "pdf", as: Data?.self).map { [UInt8]($0) })
            }
        }
        for (index, entry) in leaves {
            func problem(_ message: String) {
                report.problems.append(.init(leafIndex: index, caseID: entry.caseID, record: "制发文书 \(entry.id)", message: message))
            }
            report.recordsChecked += 1
            guard let (document, pdf) = rows[index] else {
                problem("存证的制发文书已从数据库中消失（或其存证序号被改动）")
                continue
            }
            guard let pdf, LedgerDigest.sha256Hex(pdf) == entry.sha256 else {
                problem("制发文书的 PDF 文件与存证时的哈希不符：文件在制发后被改动")
                continue
            }
            if document.ledgerEntry(sha256: entry.sha256) != entry {
                problem("制发文书的文号、发文机关、案件或制发时间与存证条目不符：文书记录在制发后被改动")
            }
        }
    }

    /// Every stored checkpoint: size, root column, signed note.
    func allCheckpoints() async throws -> [(size: Int, root: String, note: String)] {
        try await reader.select().columns("size", "root", "note").from("ledger_checkpoints").orderBy("size").all().map {
            (try $0.decode(column: "size", as: Int.self), try $0.decode(column: "root", as: String.self), try $0.decode(column: "note", as: String.self))
        }
    }

    static func describe(kind: String, id: String, source: String, version: Int) -> String {
        "\(RecordKind(rawValue: kind)?.chineseName ?? kind) \(id)（\(kind)，报送单位 \(source)，第 \(version) 版）"
    }

    /// Keeps the audit's findings in the findings table as critical integrity findings: a new problem opens one,
    /// a problem gone (the data was restored) resolves it. Each change is written to the history.
    public func recordLedgerAudit(_ report: LedgerAuditReport, now: Timestamp) async throws -> (opened: Int, resolved: Int) {
        var findings: [String: (caseID: String, explanation: String)] = [:]
        for p in report.problems {
            let anchor = p.leafIndex.map { "leaf-\($0)" } ?? p.record ?? "log"
            let explanation = "电子卷宗存证自检发现数据完整性问题：" + (p.record.map { "\($0)：" } ?? "") + p.message
                + (p.leafIndex.map { "（存证日志第 \($0) 号叶子）" } ?? "")
                + "。请立即核查数据库的访问与变更记录，并从备份或报送单位处恢复原始数据。"
            findings[Finding.key(rule: Finding.ledgerAuditRuleID, caseID: p.caseID ?? "-", anchor: anchor)] = (p.caseID ?? "-", explanation)
        }
        let found = findings.sorted { $0.key < $1.key }.map { id, f in
            Finding.integrity(id: id, caseID: f.caseID, explanation: f.explanation, citation: Finding.ledgerAuditCitation, at: now)
        }
        return try await transaction { db in
            // Every integrity finding, whatever its case: a problem that is gone resolves wherever it was.
            var existing = try await Self.storedFindings(db.select().columns("finding_id", "status", "signature", "body").from("findings")
                .where("kind", .equal, FindingKind.integrity.rawValue))
            // A problem seen before keeps the moment it was first seen, so an unchanged problem is not rewritten at
            // every audit; rows of the earlier writer stored their id as the signature.
            let decoder = JSONDecoder()
            let found = found.map { f -> Finding in
                guard let stored = existing[f.id], let old = try? decoder.decode(Finding.self, from: Data(stored.body.utf8)) else { return f }
                var kept = f
                kept.occurredAt = old.occurredAt
                if stored.signature == f.id { existing[f.id]?.signature = kept.signature }
                return kept
            }
            let summary = try await Self.reconcile(existing: existing, found: found, packVersion: "ledger", now: now, regions: [:],
                resolvedExplanation: "存证自检复核一致，数据已恢复。", db: db)
            return (summary.opened + summary.reopened, summary.resolved)
        }
    }
}
