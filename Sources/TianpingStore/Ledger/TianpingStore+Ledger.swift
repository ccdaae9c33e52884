import Foundation
import SQLKit
import SQLiteNIO
import TianpingCore
import TianpingIngest
import TianpingLedger

/// A checkpoint the log signed, as stored, with the witness cosignatures received for it since.
public struct StoredCheckpoint: Sendable, Hashable {
    public var checkpoint: Checkpoint
    /// The note as the log signed it.
    public var signedNote: String
    /// Witness cosignature lines (`— <witness> <base64>`).
    public var cosignatures: [String]
    public var createdAt: Int64

    /// The signed note with every cosignature appended: what clients and dossiers carry.
    public var note: String {
        guard let parts = try? SignedNote(signedNote) else { return signedNote }
        return cosignatures.reduce(parts) { $0.adding($1) }.note
    }
}

/// A public key the log has signed with, and when it was in service.
public struct LedgerKey: Sendable, Hashable, Codable {
    /// The verifier key text (`name+id+base64`).
    public var verifier: String
    public var activeFrom: Int64
    public var retiredAt: Int64?
}

/// A leaf of a case's dossier with what its hash covers.
public struct DossierSource: Sendable, Hashable {
    public var leafIndex: Int
    public var entry: String
    public var content: String?
}

extension TianpingStore {
    /// Leaves per multi-row insert (three values each; SQLite allows 32,766 per statement).
    static let leavesPerInsert = 2_500

    /// The leaf entries a batch appends: one per record version, and one more per document for the content hash
    /// it declares. Indices are assigned from `firstIndex` in batch order.
    static func ledgerLeaves(for records: [AcceptedRecord], firstIndex: Int, receivedAt: Int64)
        -> (leaves: [(index: Int, entry: LedgerEntry)], recordLeaf: [Int], documentLeaf: [Int?])
    {
        var leaves: [(index: Int, entry: LedgerEntry)] = []
        leaves.reserveCapacity(records.count)
        var recordLeaf: [Int] = []
        var documentLeaf: [Int?] = []
        var next = firstIndex
        for r in records {
            leaves.append((next, recordEntry(kind: r.key.kind.rawValue, source: r.key.source, id: r.key.id, version: r.version,
                caseID: r.caseID, contentHash: r.contentHash, receivedAt: receivedAt)))
            recordLeaf.append(next)
            next += 1
            if case .document(let document) = r.payload {
                leaves.append((next, LedgerEntry(subject: .document, kind: r.key.kind.rawValue, source: r.key.source, id: r.key.id,
                    version: r.version, caseID: r.caseID, sha256: document.contentHash, receivedAt: receivedAt)))
                documentLeaf.append(next)
                next += 1
            } else {
                documentLeaf.append(nil)
            }
        }
        return (leaves, recordLeaf, documentLeaf)
    }

    static func recordEntry(kind: String, source: String, id: String, version: Int, caseID: String?, contentHash: String,
        receivedAt: Int64) -> LedgerEntry
    {
        LedgerEntry(subject: .record, kind: kind, source: source, id: id, version: version, caseID: caseID,
            sha256: contentHash, receivedAt: receivedAt)
    }

    /// The index the next leaf takes. Called inside the writing transaction, which is what serialises appends.
    /// On PostgreSQL two transactions could read the same maximum: the caller locks the table first
    /// (``lockLeavesForAppend(db:dialect:)``); SQLite's writer transaction is already exclusive (`BEGIN IMMEDIATE`).
    static func nextLeafIndex(db: any SQLDatabase) async throws -> Int {
        let row = try await db.select().column(SQLFunction("MAX", args: SQLIdentifier("leaf_index")), as: "n")
            .from("ledger_leaves").first()
        return (try row?.decode(column: "n", as: Int?.self)).flatMap { $0 }.map { $0 + 1 } ?? 0
    }

    /// A leaf ready to write: entry text and leaf hash computed.
    struct PreparedLeaf: Sendable {
        let index: Int
        let text: String
        let hash: String

        init(_ leaf: (index: Int, entry: LedgerEntry)) {
            index = leaf.index
            let bytes = leaf.entry.utf8
            text = String(decoding: bytes, as: UTF8.self)
            hash = MerkleHashing.leaf(bytes).hex
        }
    }

    /// Writes leaves in multi-row inserts. Each chunk is rendered and hashed while the previous one is being
    /// written, so that the SQLite thread and a second core work at once (rendering was half the append time).
    static func insertLeaves(_ leaves: [(index: Int, entry: LedgerEntry)], db: any SQLDatabase, sqlite: SQLiteConnection?)
        async throws
    {
        let chunks = leaves.chunked(leavesPerInsert).map(Array.init)
        guard !chunks.isEmpty else { return }
        var pending = Task { chunks[0].map(PreparedLeaf.init) }
        for i in chunks.indices {
            let chunk = await pending.value
            if i + 1 < chunks.count {
                let next = chunks[i + 1]
                pending = Task { next.map(PreparedLeaf.init) }
            }
            if let sqlite {
                var binds: [SQLiteData] = []
                binds.reserveCapacity(chunk.count * 3)
                for leaf in chunk {
                    binds.append(.integer(leaf.index))
                    binds.append(.text(leaf.hash))
                    binds.append(.text(leaf.text))
                }
                _ = try await sqlite.query(chunk.count == leavesPerInsert ? fullLeafInsert : leafInsert(rows: chunk.count), binds)
            } else {
                let rows: [[any SQLExpression]] = chunk.map { [SQLBind($0.index), SQLBind($0.hash), SQLBind($0.text)] }
                try await db.insert(into: "ledger_leaves").columns("leaf_index", "leaf_hash", "entry").rows(rows).run()
            }
        }
    }

    static func leafInsert(rows: Int) -> String {
        "INSERT INTO ledger_leaves (leaf_index, leaf_hash, entry) VALUES " + Array(repeating: "(?,?,?)", count: rows).joined(separator: ",")
    }

    static let fullLeafInsert = leafInsert(rows: leavesPerInsert)

    static func lockLeavesForAppend(db: any SQLDatabase, dialect: StoreDialect) async throws {
        if dialect == .postgres { try await db.raw("LOCK TABLE ledger_leaves IN SHARE ROW EXCLUSIVE MODE").run() }
    }

    /// Appends leaves on their own, in one transaction: what `bench ledger --durable` measures, and what a node
    /// that logs something other than exchange records would call.
    public func appendLedgerEntries(_ entries: [LedgerEntry]) async throws -> Range<Int> {
        let sqlite = sqliteWriter
        let dialect = self.dialect
        return try await transaction { db in
            try await Self.lockLeavesForAppend(db: db, dialect: dialect)
            let first = try await Self.nextLeafIndex(db: db)
            try await Self.insertLeaves(entries.enumerated().map { (first + $0.offset, $0.element) }, db: db, sqlite: sqlite)
            return first..<(first + entries.count)
        }
    }

    /// Logs records stored before the ledger existed (migration 3), oldest first, so that nothing stored is
    /// outside the log.
    static func appendUnloggedRecords(db: any SQLDatabase) async throws {
        while true {
            let rows = try await db.select().columns("record_id", "source", "kind", "version", "content_hash", "case_id",
                "ingested_at", "body").from("records").where("leaf_index", .is, SQLLiteral.null)
                .orderBy("ingested_at").orderBy("record_id").orderBy("source").orderBy("kind").orderBy("version")
                .limit(2_000).all()
            if rows.isEmpty { return }
            var next = try await nextLeafIndex(db: db)
            var leaves: [(index: Int, entry: LedgerEntry)] = []
            for row in rows {
                let id = try row.decode(column: "record_id", as: String.self)
                let source = try row.decode(column: "source", as: String.self)
                let kind = try row.decode(column: "kind", as: String.self)
                let version = try row.decode(column: "version", as: Int.self)
                let caseID = try row.decode(column: "case_id", as: String?.self)
                let received = try row.decode(column: "ingested_at", as: Int64.self)
                let recordIndex = next
                leaves.append((next, recordEntry(kind: kind, source: source, id: id, version: version, caseID: caseID,
                    contentHash: try row.decode(column: "content_hash", as: String.self), receivedAt: received)))
                next += 1
                var documentIndex: Int?
                if kind == RecordKind.document.rawValue,
                    let hash = documentContentHash(body: try row.decode(column: "body", as: String.self))
                {
                    leaves.append((next, LedgerEntry(subject: .document, kind: kind, source: source, id: id, version: version,
                        caseID: caseID, sha256: hash, receivedAt: received)))
                    documentIndex = next
                    next += 1
                }
                try await db.update("records").set("leaf_index", to: recordIndex).set("document_leaf_index", to: documentIndex)
                    .where("record_id", .equal, id).where("source", .equal, source).where("kind", .equal, kind)
                    .where("version", .equal, version).run()
            }
            try await insertLeaves(leaves, db: db, sqlite: nil)
        }
    }

    /// The `contentHash` a stored document record declares for its text or file.
    static func documentContentHash(body: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let payload = object["payload"] as? [String: Any]
        else { return nil }
        return payload["contentHash"] as? String
    }

    /// Number of leaves in the log.
    public func ledgerSize() async throws -> Int {
        try await Self.nextLeafIndex(db: reader)
    }

    /// Stored leaf hashes from `start`, in order.
    /// Stored leaf hashes from `start`, in order; a gap in the indices is an error, not a shorter log.
    public func ledgerLeafHashes(from start: Int, limit: Int) async throws -> [TreeHash] {
        try await reader.select().columns("leaf_index", "leaf_hash").from("ledger_leaves").where("leaf_index", .greaterThanOrEqual, start)
            .orderBy("leaf_index").limit(limit).all().enumerated()
            .map { offset, row in
                let index = try row.decode(column: "leaf_index", as: Int.self)
                guard index == start + offset else { throw StoreError.corrupt("存证日志缺少第 \(start + offset) 号叶子") }
                let hex = try row.decode(column: "leaf_hash", as: String.self)
                guard let hash = TreeHash(hex: hex) else { throw StoreError.corrupt("存证日志叶子哈希无法读取：\(hex)") }
                return hash
            }
    }

    /// The entry text of one leaf.
    public func ledgerEntry(at index: Int) async throws -> String? {
        try await reader.select().column("entry").from("ledger_leaves").where("leaf_index", .equal, index).first()?
            .decode(column: "entry", as: String.self)
    }

    /// Every leaf of a case's records (all versions, history included) with what each hash covers, in log order.
    public func dossierSources(caseID: String) async throws -> [DossierSource] {
        let rows = try await reader.select().columns("leaf_index", "document_leaf_index", "body").from("records")
            .where("case_id", .equal, caseID).all()
        var content: [Int: String?] = [:]
        for row in rows {
            let body = try row.decode(column: "body", as: String.self)
            guard let leaf = try row.decode(column: "leaf_index", as: Int?.self) else { continue }
            content[leaf] = body
            if let documentLeaf = try row.decode(column: "document_leaf_index", as: Int?.self) {
                let text = (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                    .flatMap { $0["payload"] as? [String: Any] }?["text"] as? String
                content[documentLeaf] = .some(text)
            }
        }
        // Documents the supervision issued about the case (督办通知书 …): their PDF files are hashed, not quoted.
        for row in try await reader.select().column("leaf_index").from("warning_documents").where("case_id", .equal, caseID)
            .where("leaf_index", .isNot, SQLLiteral.null).all()
        {
            content[try row.decode(column: "leaf_index", as: Int.self)] = .some(nil)
        }
        // Reports kept with the case (类案检索报告): hashed, like issued documents.
        for row in try await reader.select().column("leaf_index").from("case_reports").where("case_id", .equal, caseID)
            .where("leaf_index", .isNot, SQLLiteral.null).all()
        {
            content[try row.decode(column: "leaf_index", as: Int.self)] = .some(nil)
        }
        var sources: [DossierSource] = []
        for chunk in content.keys.sorted().chunked(500) {
            for row in try await reader.select().columns("leaf_index", "entry").from("ledger_leaves")
                .where("leaf_index", .in, Array(chunk)).orderBy("leaf_index").all()
            {
                let index = try row.decode(column: "leaf_index", as: Int.self)
                sources.append(DossierSource(leafIndex: index, entry: try row.decode(column: "entry", as: String.self),
                    content: content[index] ?? nil))
            }
        }
        return sources
    }

    /// The leaf of one record version, if it was logged.
    public func ledgerLeafIndex(source: String, kind: String, id: String, version: Int) async throws -> Int? {
        try await reader.select().column("leaf_index").from("records").where("record_id", .equal, id)
            .where("source", .equal, source).where("kind", .equal, kind).where("version", .equal, version).first()?
            .decode(column: "leaf_index", as: Int?.self)
    }

    // MARK: Checkpoints, cosignatures and keys

    /// Stores a checkpoint the log signed. Signing the same size twice keeps the first note, unless `replacing`
    /// (a key rotation re-signs the current size with both keys); the root of a stored size never changes.
    public func saveCheckpoint(_ checkpoint: Checkpoint, signedNote: String, at now: Int64, replacing: Bool = false) async throws {
        if let existing = try await self.checkpoint(size: checkpoint.size), existing.checkpoint.root != checkpoint.root {
            throw StoreError.corrupt("树大小 \(checkpoint.size) 已有根哈希不同的检查点：拒绝签署分叉视图")
        }
        let insert = writer.insert(into: "ledger_checkpoints").columns("size", "root", "note", "created_at")
            .values(SQLBind(checkpoint.size), SQLBind(checkpoint.root.hex), SQLBind(signedNote), SQLBind(now))
        if replacing {
            try await insert.onConflict(with: ["size"]) { $0.set(excludedValueOf: "note") }.run()
        } else {
            try await insert.ignoringConflicts(with: ["size"]).run()
        }
    }

    public func latestCheckpoint() async throws -> StoredCheckpoint? {
        try await storedCheckpoint(reader.select().columns("size", "note", "created_at").from("ledger_checkpoints")
            .orderBy("size", .descending).limit(1).first())
    }

    public func checkpoint(size: Int) async throws -> StoredCheckpoint? {
        try await storedCheckpoint(reader.select().columns("size", "note", "created_at").from("ledger_checkpoints")
            .where("size", .equal, size).first())
    }

    private func storedCheckpoint(_ row: (any SQLRow)?) async throws -> StoredCheckpoint? {
        guard let row else { return nil }
        let size = try row.decode(column: "size", as: Int.self)
        let note = try row.decode(column: "note", as: String.self)
        let parts = try SignedNote(note)
        let lines = try await reader.select().column("line").from("ledger_cosignatures").where("size", .equal, size)
            .orderBy("witness").all().map { try $0.decode(column: "line", as: String.self) }
        return StoredCheckpoint(checkpoint: try Checkpoint(text: parts.text), signedNote: note, cosignatures: lines,
            createdAt: try row.decode(column: "created_at", as: Int64.self))
    }

    /// Keeps a witness's cosignature of a stored checkpoint (the caller has verified it); a newer one from the
    /// same witness replaces the older.
    public func addCosignature(size: Int, witness: String, line: String, at now: Int64) async throws {
        try await writer.insert(into: "ledger_cosignatures").columns("size", "witness", "line", "received_at")
            .values(SQLBind(size), SQLBind(witness), SQLBind(line), SQLBind(now))
            .onConflict(with: ["size", "witness"]) { $0.set(excludedValueOf: "line").set(excludedValueOf: "received_at") }
            .run()
    }

    /// Records a log key coming into service; any other active key is retired at the same moment unless `keepOthers`.
    public func activateLedgerKey(_ verifier: String, at now: Int64, keepOthers: Bool = false) async throws {
        try await transaction { db in
            if !keepOthers {
                try await db.update("ledger_keys").set("retired_at", to: now).where("retired_at", .is, SQLLiteral.null)
                    .where("verifier", .notEqual, verifier).run()
            }
            try await db.insert(into: "ledger_keys").columns("verifier", "active_from", "retired_at")
                .values(SQLBind(verifier), SQLBind(now), SQLLiteral.null)
                .onConflict(with: ["verifier"]) { $0.set("retired_at", to: SQLLiteral.null) }.run()
        }
    }

    /// Every key the log has signed with, oldest first.
    public func ledgerKeys() async throws -> [LedgerKey] {
        try await reader.select().columns("verifier", "active_from", "retired_at").from("ledger_keys").orderBy("active_from")
            .orderBy("verifier").all().map {
                LedgerKey(verifier: try $0.decode(column: "verifier", as: String.self),
                    activeFrom: try $0.decode(column: "active_from", as: Int64.self),
                    retiredAt: try $0.decode(column: "retired_at", as: Int64?.self))
            }
    }
}
