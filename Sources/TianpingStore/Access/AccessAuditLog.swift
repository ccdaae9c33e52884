import Foundation
import SQLKit
import TianpingLedger

/// The access audit as a tamper-evident log of its own (RFC 9162 leaves on ``TianpingLedger``), so that the
/// audit is append-only by construction, not by convention.
///
/// Every audit row gets a leaf in the same transaction that writes it (`access_audit_leaves`: index, row id,
/// leaf hash — 100 bytes, no copy of the row). The leaf is the RFC 9162 hash of the row's text
/// (``AuditEntry/leafText``), which anyone can rebuild from the row. Whenever the dossier log signs a checkpoint
/// it also signs one of this log with the same key (kept outside the database), under the origin
/// `<key name>/access-audit` so that it can never pass for a dossier checkpoint. The ledger self-audit
/// (``TianpingStore/auditLedger(trustedKeys:)``) rebuilds every leaf from its row and every signed head from the
/// leaves: a changed row no longer matches its leaf, a deleted row leaves a leaf without a row, and a row and
/// leaf changed together no longer reproduce the signed head.
///
/// It is a separate log rather than leaves in the dossier log because it is written on every read: appends would
/// otherwise queue behind ingest's lock on the dossier leaves, and its public proofs would expose who read what.
extension AuditEntry {
    static let leafHeader = "tianping/access-audit/v1"

    /// The exact bytes hashed into the row's leaf: one `key value` line per field (absent optional fields
    /// omitted), with `\\`, `\n` and `\r` escaped so that every field stays on its line.
    public func leafText(id: Int64) -> [UInt8] {
        var out = Array((Self.leafHeader + "\n").utf8)
        func line(_ key: String, _ value: String?) {
            guard let value else { return }
            out.append(contentsOf: Array(key.utf8))
            out.append(0x20)
            for byte in value.utf8 {
                switch byte {
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
                case 0x0D: out.append(contentsOf: [0x5C, 0x72])
                default: out.append(byte)
                }
            }
            out.append(0x0A)
        }
        line("id", String(id))
        line("at", String(at))
        line("actor", actor)
        line("actor_kind", actorKind)
        line("role", role)
        line("agency", agency)
        line("action", action.rawValue)
        line("target", target)
        line("case", caseID)
        line("reason", reason)
        line("address", address)
        line("count", itemCount.map(String.init))
        line("outcome", outcome)
        return out
    }

    /// The RFC 9162 leaf hash of ``leafText(id:)``.
    public func leafHash(id: Int64) -> TreeHash { MerkleHashing.leaf(leafText(id: id)) }
}

/// A checkpoint of the access audit log as stored: the signed note and the tree's right edge at that size, from
/// which the next checkpoint continues without rereading every leaf.
struct StoredAccessAuditCheckpoint: Sendable {
    var size: Int
    var root: String
    var note: String
    var frontier: String?
}

extension TianpingStore {
    /// The origin of the access audit log's checkpoints for a log key: never the key's own name, which is the
    /// dossier log's origin (a dossier verifier insists on it), so neither can be shown as the other.
    public static func accessAuditOrigin(keyName: String) -> String { keyName + "/access-audit" }

    /// Appends the leaves of audit rows just written (their `id` set), in order. Called inside the transaction
    /// that wrote them; on PostgreSQL after locking `access_audit_leaves`.
    static func appendAccessAuditLeaves(_ entries: [AuditEntry], db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        let row = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("leaf_index")), as: "n").from("access_audit_leaves")
            .first()
        var next = (try row?.decode(column: "n", as: Int?.self)).flatMap { $0 }.map { $0 + 1 } ?? 0
        var rows: [[any SQLExpression]] = []
        for entry in entries {
            guard let id = entry.id else { throw StoreError.corrupt("访问审计记录没有编号，无法记入审计日志") }
            rows.append([SQLBind(next), SQLBind(id), SQLBind(entry.leafHash(id: id).hex)])
            next += 1
        }
        for chunk in rows.chunked(1_000) {
            try await db.insert(into: "access_audit_leaves").columns("leaf_index", "audit_id", "leaf_hash").rows(Array(chunk)).run()
        }
    }

    /// Logs audit rows written before the log existed (the migration that creates it), oldest first.
    static func appendUnloggedAuditRows(db: any SQLDatabase) async throws {
        var after: Int64 = -1
        while true {
            let rows = try await db.select().columns("*").from("access_audit").where("id", .greaterThan, after).orderBy("id").limit(2_000).all()
            if rows.isEmpty { return }
            let entries = try rows.map(decodeAuditEntry)
            try await appendAccessAuditLeaves(entries, db: db)
            after = entries.last?.id ?? after
        }
    }

    /// Stored leaf hashes of the access audit log from `start`, in order; a gap is an error, not a shorter log.
    func accessAuditLeafHashes(from start: Int, limit: Int) async throws -> [TreeHash] {
        try await reader.select().columns("leaf_index", "leaf_hash").from("access_audit_leaves")
            .where("leaf_index", .greaterThanOrEqual, start).orderBy("leaf_index").limit(limit).all().enumerated()
            .map { offset, row in
                guard try row.decode(column: "leaf_index", as: Int.self) == start + offset else {
                    throw StoreError.corrupt("访问审计日志缺少第 \(start + offset) 号叶子")
                }
                let hex = try row.decode(column: "leaf_hash", as: String.self)
                guard let hash = TreeHash(hex: hex) else { throw StoreError.corrupt("访问审计日志叶子哈希无法读取：\(hex)") }
                return hash
            }
    }

    func latestAccessAuditCheckpoint() async throws -> StoredAccessAuditCheckpoint? {
        try await reader.select().columns("size", "root", "note", "frontier").from("access_audit_checkpoints")
            .orderBy("size", .descending).limit(1).first().map {
                StoredAccessAuditCheckpoint(size: try $0.decode(column: "size", as: Int.self), root: try $0.decode(column: "root", as: String.self),
                    note: try $0.decode(column: "note", as: String.self), frontier: try $0.decode(column: "frontier", as: String?.self))
            }
    }

    /// Signs a checkpoint of the access audit log with the dossier log's key (``DossierLog/checkpoint(signer:now:)``
    /// calls this), unless the latest one already covers every leaf and was signed by this key.
    ///
    /// Continues from the latest checkpoint's saved right edge once that edge reproduces the checkpoint's signed
    /// head, so each signing reads only the leaves appended since; without a usable edge it rereads the log and
    /// requires the stored leaves to reproduce the signed head. A latest checkpoint without a valid signature by
    /// one of the log's keys, or a log shorter than it, is refused: an alteration is never signed over.
    @discardableResult
    public func signAccessAuditCheckpoint(signer: NoteSigner, now: Int64) async throws -> Checkpoint {
        var frontier = MerkleFrontier()
        if let latest = try await latestAccessAuditCheckpoint() {
            let keys = try await ledgerKeys().compactMap { try? NoteVerifier(encoded: $0.verifier) } + [signer.verifier]
            guard let key = keys.first(where: { (try? $0.verify(latest.note)) != nil }),
                let signed = try? Checkpoint(text: try key.verify(latest.note)),
                signed.origin == Self.accessAuditOrigin(keyName: key.name), signed.size == latest.size
            else {
                throw StoreError.corrupt("访问审计日志最新检查点（树大小 \(latest.size)）没有本日志任何公钥的有效签名：拒绝继续签署，请运行 tianping ledger audit")
            }
            let saved = latest.frontier.flatMap { text in
                try? MerkleFrontier(size: signed.size, hashes: text.split(separator: ",").map { try TreeHash(hex: String($0)).orThrow(StoreError.corrupt("")) })
            }
            if let saved, saved.root == signed.root {
                frontier = saved
            } else {
                while frontier.size < signed.size {
                    let hashes = try await accessAuditLeafHashes(from: frontier.size, limit: min(100_000, signed.size - frontier.size))
                    guard !hashes.isEmpty else { break }
                    for h in hashes { frontier.append(h) }
                }
                guard frontier.size == signed.size, frontier.root == signed.root else {
                    throw StoreError.corrupt("存储的访问审计日志与最后签名的检查点（树大小 \(signed.size)）不一致：审计记录被改动或删除，拒绝签署，请运行 tianping ledger audit")
                }
            }
            let stored = try await accessAuditLeafHashes(from: frontier.size, limit: 1)
            if stored.isEmpty, try await accessAuditLeafCount() < signed.size {
                throw StoreError.corrupt("访问审计日志少于已签名检查点的 \(signed.size) 个叶子：审计记录被删除，拒绝签署，请运行 tianping ledger audit")
            }
            if stored.isEmpty, key == signer.verifier { return signed }
        }
        while true {
            let hashes = try await accessAuditLeafHashes(from: frontier.size, limit: 100_000)
            if hashes.isEmpty { break }
            for h in hashes { frontier.append(h) }
        }
        let checkpoint = Checkpoint(origin: Self.accessAuditOrigin(keyName: signer.name), size: frontier.size, root: frontier.root)
        let note = try signer.sign(checkpoint.text)
        try await writer.insert(into: "access_audit_checkpoints").columns("size", "root", "note", "frontier", "created_at")
            .values(SQLBind(checkpoint.size), SQLBind(checkpoint.root.hex), SQLBind(note),
                SQLBind(frontier.hashes.map(\.hex).joined(separator: ",")), SQLBind(now))
            .ignoringConflicts(with: ["size"]).run()
        return checkpoint
    }

    func accessAuditLeafCount() async throws -> Int {
        try await reader.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("access_audit_leaves").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// The access audit log's part of the ledger self-audit: every leaf rebuilt from its row, rows without a
    /// leaf, and every signed checkpoint (signature by a trusted key, origin, root column, and the head rebuilt
    /// from the rows). Problems name the audit row; they carry no leaf index (that names a dossier leaf) and no
    /// case (a finding on a case would show its readers to everyone who may read the case's findings).
    func auditAccessLog(keys: [NoteVerifier]) async throws -> (entries: Int, checkpointSize: Int?, problems: [LedgerAuditProblem]) {
        var problems: [LedgerAuditProblem] = []
        func problem(_ record: String, _ message: String) {
            problems.append(LedgerAuditProblem(record: record, message: message))
        }
        let checkpoints = try await reader.select().columns("size", "root", "note").from("access_audit_checkpoints").orderBy("size").all()
            .map { (size: try $0.decode(column: "size", as: Int.self), root: try $0.decode(column: "root", as: String.self),
                note: try $0.decode(column: "note", as: String.self)) }
        var signedRoots: [Int: TreeHash] = [:]
        for c in checkpoints {
            let label = "访问审计日志检查点（树大小 \(c.size)）"
            guard let key = keys.first(where: { (try? $0.verify(c.note)) != nil }), let signed = try? Checkpoint(text: try key.verify(c.note)) else {
                problem(label, "没有受信任公钥的有效签名：检查点被改动或伪造")
                continue
            }
            if signed.origin != Self.accessAuditOrigin(keyName: key.name) {
                problem(label, "签名内容不是访问审计日志的检查点（来源 \(signed.origin)）：检查点被替换")
            } else if signed.size != c.size || signed.root.hex != c.root {
                problem(label, "检查点记录与其签名内容不符：检查点表被改动")
            } else {
                signedRoots[c.size] = signed.root
            }
        }
        var frontier = MerkleFrontier()
        func checkHead() {
            if let root = signedRoots[frontier.size], root != frontier.root {
                problem("访问审计日志检查点（树大小 \(frontier.size)）", "由存储的审计记录重算的根哈希与签名检查点不符：已记入日志的审计记录被改动或删除")
            }
        }
        checkHead()
        var start = 0
        while true {
            let leaves = try await reader.select().columns("leaf_index", "audit_id", "leaf_hash").from("access_audit_leaves")
                .where("leaf_index", .greaterThanOrEqual, start).orderBy("leaf_index").limit(Self.auditChunk).all()
                .map { (index: try $0.decode(column: "leaf_index", as: Int.self), id: try $0.decode(column: "audit_id", as: Int64.self),
                    hash: try $0.decode(column: "leaf_hash", as: String.self)) }
            if leaves.isEmpty { break }
            var rows: [Int64: AuditEntry] = [:]
            for chunk in leaves.map(\.id).chunked(1_000) {
                for row in try await reader.select().columns("*").from("access_audit").where("id", .in, Array(chunk)).all() {
                    let entry = try Self.decodeAuditEntry(row)
                    if let id = entry.id { rows[id] = entry }
                }
            }
            for leaf in leaves {
                let label = "访问审计记录 #\(leaf.id)（审计日志第 \(leaf.index) 号叶子）"
                if leaf.index != frontier.size {
                    problem("访问审计日志第 \(frontier.size) 号叶子", "访问审计日志缺少该叶子（下一条为第 \(leaf.index) 号）：叶子被删除")
                }
                let stored = TreeHash(hex: leaf.hash)
                guard let entry = rows[leaf.id] else {
                    problem(label, "审计记录已从数据库中删除")
                    frontier.append(stored ?? MerkleHashing.emptyRoot)
                    checkHead()
                    continue
                }
                let computed = entry.leafHash(id: leaf.id)
                if stored != computed { problem(label, "审计记录与记入日志时的哈希不符：记录在写入后被改动") }
                frontier.append(computed)
                checkHead()
            }
            start = (leaves.last?.index ?? start) + 1
        }
        if let last = checkpoints.last, last.size > frontier.size {
            problem("访问审计日志检查点（树大小 \(last.size)）", "访问审计日志只有 \(frontier.size) 个叶子，少于已签名检查点：审计记录被删除")
        }
        // Rows that never reached the log: written around ``audit(_:)``.
        for row in try await reader.raw("""
            SELECT id FROM access_audit a WHERE NOT EXISTS (SELECT 1 FROM access_audit_leaves l WHERE l.audit_id = a.id) ORDER BY id LIMIT 100
            """).all()
        {
            problem("访问审计记录 #\(try row.decode(column: "id", as: Int64.self))", "审计记录不在访问审计日志中：未经审计函数写入数据库")
        }
        // A log that has signed dossier checkpoints since this log existed has signed its own as well.
        if checkpoints.isEmpty, frontier.size > 0, let since = try await reader.select().column("applied_at").from("schema_migrations")
            .where("version", .equal, Self.accessAuditLogMigration).first()?.decode(column: "applied_at", as: Int64.self),
            try await reader.select().column("size").from("ledger_checkpoints").where("created_at", .greaterThan, since).first() != nil
        {
            problem("访问审计日志检查点", "存证日志已签署过检查点，但访问审计日志的检查点表为空：检查点被删除")
        }
        return (frontier.size, checkpoints.last?.size, problems)
    }
}
