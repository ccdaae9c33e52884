import Foundation
import Logging
import TianpingLedger

/// The dossier log of one store: the Merkle tree over its stored leaves, kept in memory and brought up to date
/// from the database before each use, so that proofs and checkpoints always cover what is stored.
///
/// Leaves are appended by ingest transactions, never through this type; it only reads them. One instance per
/// process (the server, a CLI command) is enough; it is an actor so that concurrent requests share the tree.
public actor DossierLog {
    public let store: TianpingStore
    private var tree = MerkleTree()

    public init(store: TianpingStore) {
        self.store = store
    }

    /// Reads leaves appended since the last call; returns the tree size.
    @discardableResult
    public func refresh() async throws -> Int {
        while true {
            let start = tree.size
            let hashes = try await store.ledgerLeafHashes(from: start, limit: 200_000)
            if hashes.isEmpty { return tree.size }
            // The actor is re-entrant across the await: another refresh may have appended these leaves meanwhile.
            guard tree.size == start else { continue }
            for h in hashes { tree.append(h) }
        }
    }

    public var size: Int { tree.size }

    public func root(size: Int) async throws -> TreeHash {
        if size > tree.size { try await refresh() }
        return try tree.root(size: size)
    }

    public func inclusionProof(leaf: Int, size: Int) async throws -> [TreeHash] {
        if size > tree.size { try await refresh() }
        return try tree.inclusionProof(leaf: leaf, size: size)
    }

    public func consistencyProof(from: Int, to: Int) async throws -> [TreeHash] {
        if to > tree.size { try await refresh() }
        return try tree.consistencyProof(from: from, to: to)
    }

    public func leafHash(_ index: Int) -> TreeHash { tree.leafHash(index) }

    /// Signs a checkpoint of everything stored, unless the latest stored checkpoint already covers it and was
    /// signed by this key; returns the current checkpoint.
    ///
    /// Refuses to sign unless the stored tree extends the latest checkpoint, and that checkpoint carries a valid
    /// signature by one of the log's keys: whoever altered or removed stored leaves cannot get the alteration signed.
    ///
    /// Signs the access audit log's checkpoint with the same key at the same time
    /// (``TianpingStore/signAccessAuditCheckpoint(signer:now:)``), so that every caller that keeps the dossier log
    /// signed — ingest, the server's upkeep, `tianping ledger checkpoint` — keeps the audit signed too. A refusal
    /// there is logged at `critical` and does not fail the dossier checkpoint.
    @discardableResult
    public func checkpoint(signer: NoteSigner, now: Int64) async throws -> StoredCheckpoint {
        let dossiers = try await signDossiers(signer: signer, now: now)
        do {
            try await store.signAccessAuditCheckpoint(signer: signer, now: now)
        } catch {
            // Refused (an altered audit log is never signed over), but not at the dossiers' expense, nor at the
            // expense of the self-audit that callers run next and that turns the alteration into a finding.
            store.logger.critical("access audit log not signed: \(String(describing: error))")
        }
        return dossiers
    }

    private func signDossiers(signer: NoteSigner, now: Int64) async throws -> StoredCheckpoint {
        try await refresh()
        if let latest = try await store.latestCheckpoint() {
            let keys = try await store.ledgerKeys().compactMap { try? NoteVerifier(encoded: $0.verifier) } + [signer.verifier]
            guard keys.contains(where: { (try? $0.verify(latest.signedNote)) != nil }) else {
                throw StoreError.corrupt("最新检查点（树大小 \(latest.checkpoint.size)）没有本日志任何公钥的有效签名：拒绝继续签署，请运行 tianping ledger audit")
            }
            guard latest.checkpoint.size <= tree.size, try tree.root(size: latest.checkpoint.size) == latest.checkpoint.root else {
                throw StoreError.corrupt("存储的存证日志与最后签名的检查点（树大小 \(latest.checkpoint.size)）不一致：已签名的叶子被改动或删除，拒绝签署，请运行 tianping ledger audit")
            }
            if latest.checkpoint.size == tree.size, (try? signer.verifier.verify(latest.signedNote)) != nil { return latest }
        }
        let checkpoint = Checkpoint(origin: signer.name, size: tree.size, root: try tree.root(size: tree.size))
        let note = try signer.sign(checkpoint.text)
        try await store.saveCheckpoint(checkpoint, signedNote: note, at: now)
        return try await store.checkpoint(size: tree.size)
            ?? StoredCheckpoint(checkpoint: checkpoint, signedNote: note, cosignatures: [], createdAt: now)
    }

    /// A self-contained dossier of a case against the latest stored checkpoint.
    public func dossier(caseID: String, exportedAt: String) async throws -> DossierBundle? {
        guard let latest = try await store.latestCheckpoint() else { throw LedgerError.malformed("存证日志尚无已签名的检查点") }
        let sources = try await store.dossierSources(caseID: caseID)
            .filter { $0.leafIndex < latest.checkpoint.size }
        guard !sources.isEmpty else { return nil }
        if latest.checkpoint.size > tree.size { try await refresh() }
        var items: [DossierBundle.Item] = []
        for s in sources {
            let proof = try tree.inclusionProof(leaf: s.leafIndex, size: latest.checkpoint.size)
            items.append(.init(leafIndex: s.leafIndex, entry: s.entry, proof: proof.map { Data($0.bytes).base64EncodedString() },
                content: s.content))
        }
        let keys = try await store.ledgerKeys().map(\.verifier)
        return DossierBundle(caseID: caseID, exportedAt: exportedAt, checkpoint: latest.note, items: items, logKeys: keys)
    }
}
