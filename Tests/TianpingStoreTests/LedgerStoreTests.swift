import Foundation
import SQLKit
import Testing
import TianpingAnalysis
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingLedger
import TianpingRules
@testable import TianpingStore

@Suite("Dossier log in the store")
struct LedgerStoreTests {
    @Test("ingest appends every record and document hash; proofs, dossiers and the self-audit agree; a changed row is named")
    func lifecycleOnSQLite() async throws {
        try await withTemporaryStore { store, _ in try await Self.lifecycle(on: store) }
    }

    /// Shared with the PostgreSQL suite.
    static func lifecycle(on store: TianpingStore) async throws {
        let (summary, manifest) = try await loadProvince(store, cases: 120, seed: 21)
        #expect(summary.total(.quarantined) == 0)
        let log = DossierLog(store: store)
        // Concurrent refreshes (the actor is re-entrant across its database reads) must not add leaves twice.
        async let first = log.refresh()
        async let second = log.refresh()
        let (a, b) = try await (first, second)
        let size = try await log.refresh()
        #expect(a == size && b == size)
        #expect(await log.size == size)
        let signer = try NoteSigner(name: "test.example/dossiers")
        try await store.activateLedgerKey(signer.verifier.encoded, at: 1)
        let checkpoint = try await log.checkpoint(signer: signer, now: 1_764_300_000)
        #expect(checkpoint.checkpoint.size == size)
        #expect(try signer.verifier.verify(checkpoint.note) == checkpoint.checkpoint.text)

        // Every accepted record version is a leaf, and every document adds one for its declared content hash.
        let clean = try await store.auditLedger()
        #expect(clean.isClean, "\(clean.problems.prefix(3))")
        #expect(clean.recordsChecked == manifest.records)
        #expect(clean.leaves == size)
        #expect(size > manifest.records, "documents add leaves of their own")
        #expect(clean.checkpointMatches == true)

        // The tree the log serves is RFC 9162's over the stored entries, recomputed here from the entry texts.
        var entries: [String] = []
        for i in 0..<size { entries.append(try #require(try await store.ledgerEntry(at: i))) }
        let independent = MerkleTree(leafHashes: entries.map { MerkleHashing.leaf(Array($0.utf8)) })
        #expect(try independent.root(size: size) == checkpoint.checkpoint.root)
        let proof = try await log.inclusionProof(leaf: size / 2, size: size)
        #expect(ProofVerification.verifyInclusion(leafHash: independent.leafHash(size / 2), index: size / 2, size: size,
            proof: proof, root: checkpoint.checkpoint.root))

        // A case's dossier verifies offline with the public key alone.
        let caseID = try #require(try await store.caseIDs(after: nil, limit: 1).first)
        let bundle = try #require(try await log.dossier(caseID: caseID, exportedAt: "2026-11-28T10:00:00+08:00"))
        let report = DossierVerifier.verify(bundle, trustedLogKeys: [signer.verifier])
        #expect(report.isValid, "\(report.problems)")
        #expect(report.verifiedItems == bundle.items.count)
        let rows = try await store.writer.select().columns("leaf_index", "document_leaf_index").from("records")
            .where("case_id", .equal, caseID).all()
        let expected = try rows.reduce(0) { $0 + 1 + (try $1.decode(column: "document_leaf_index", as: Int?.self) == nil ? 0 : 1) }
        #expect(bundle.items.count == expected, "one item per record version of the case, one more per document")

        // Someone with database access edits one stored event: the audit names it, and a critical finding opens.
        let row = try #require(try await store.writer.select().columns("record_id", "source", "body", "case_id", "leaf_index")
            .from("records").where("kind", .equal, "event").orderBy("leaf_index").offset(7).limit(1).first())
        let id = try row.decode(column: "record_id", as: String.self)
        let body = try row.decode(column: "body", as: String.self)
        let leaf = try row.decode(column: "leaf_index", as: Int.self)
        let tamperedCase = try row.decode(column: "case_id", as: String.self)
        try await store.writer.update("records").set("body", to: body.replacingOccurrences(of: "T", with: "t", options: [], range: body.range(of: "T")))
            .where("record_id", .equal, id).run()
        let tampered = try await store.auditLedger()
        #expect(tampered.problems.count == 1)
        #expect(tampered.problems.first?.leafIndex == leaf)
        #expect(tampered.problems.first?.caseID == tamperedCase)
        #expect(tampered.problems.first?.record?.contains(id) == true)
        #expect(tampered.checkpointMatches == true, "the log itself is intact; the record is not")
        let now = Timestamp("2026-11-28T10:00:00+08:00")!
        #expect(try await store.recordLedgerAudit(tampered, now: now) == (opened: 1, resolved: 0))
        #expect(try await store.recordLedgerAudit(tampered, now: now) == (opened: 0, resolved: 0), "the same problem is one finding")
        let integrity = try await store.findings(FindingQuery(kind: .integrity), page: 1, pageSize: 10)
        #expect(integrity.total == 1)
        #expect(integrity.items.first?.finding.severity == .critical)
        #expect(integrity.items.first?.finding.explanation.contains(id) == true)
        // Re-analysing the case leaves the integrity finding alone.
        let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
        _ = try await store.sync(try await store.timelines(for: [tamperedCase]).map { engine.evaluate($0, asOf: now) },
            packVersion: engine.pack.version, now: now)
        #expect(try await store.findings(FindingQuery(kind: .integrity), page: 1, pageSize: 10).total == 1)

        // Restored from backup: the audit is clean again and the finding is resolved, with its history.
        try await store.writer.update("records").set("body", to: body).where("record_id", .equal, id).run()
        let restored = try await store.auditLedger()
        #expect(restored.isClean)
        #expect(try await store.recordLedgerAudit(restored, now: now) == (opened: 0, resolved: 1))

        // A changed leaf entry breaks the signed root; a stored checkpoint can never be re-signed with another root.
        let entry = try #require(try await store.ledgerEntry(at: 3))
        try await store.writer.update("ledger_leaves").set("entry", to: entry.replacingOccurrences(of: "received ", with: "received 1"))
            .where("leaf_index", .equal, 3).run()
        let rewritten = try await store.auditLedger()
        #expect(rewritten.checkpointMatches == false)
        #expect(rewritten.problems.contains { $0.leafIndex == 3 })
        let forged = Checkpoint(origin: signer.name, size: size, root: try MerkleTree(leafHashes: [MerkleHashing.emptyRoot]).root())
        await #expect(throws: StoreError.self) { try await store.saveCheckpoint(forged, signedNote: try signer.sign(forged.text), at: 2) }

        // With a leaf hash rewritten to match the changed entry, a fresh process refuses to sign over the change.
        let changed = try #require(try await store.ledgerEntry(at: 3))
        try await store.writer.update("ledger_leaves").set("leaf_hash", to: MerkleHashing.leaf(Array(changed.utf8)).hex)
            .where("leaf_index", .equal, 3).run()
        await #expect(throws: StoreError.self) { try await DossierLog(store: store).checkpoint(signer: signer, now: 3) }
        // The server's upkeep still runs the self-audit when the checkpoint is refused (it used to skip it then).
        let openAudits = { try await store.findings(FindingQuery(rule: Finding.ledgerAuditRuleID), page: 1, pageSize: 100).total }
        let before = try await openAudits()
        let upkeep = Task {
            await LedgerUpkeep(log: DossierLog(store: store), signer: signer, checkpointInterval: 0.01, auditInterval: 0.01,
                trustedKeys: [signer.verifier]).run()
        }
        var waited = 0
        while try await openAudits() == before, waited < 500 {
            try await Task.sleep(for: .milliseconds(20))
            waited += 1
        }
        upkeep.cancel()
        _ = await upkeep.value
        #expect(try await openAudits() > before, "a refused checkpoint does not stop the self-audit")
        // The audit checks every stored checkpoint against the trusted key: a rewritten note is named.
        try await store.writer.update("ledger_checkpoints").set("note", to: try signer.sign(forged.text)).run()
        let stranger = try NoteSigner(name: signer.name)
        let untrusted = try await store.auditLedger(trustedKeys: [stranger.verifier])
        #expect(untrusted.problems.contains { $0.message.contains("没有受信任公钥的有效签名") })
        let mismatched = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(mismatched.problems.contains { $0.message.contains("检查点记录与其签名内容不符") })
        // Deleted checkpoints and a record pointing past the end of the log are reported too.
        try await store.writer.delete(from: "ledger_checkpoints").run()
        try await store.writer.update("records").set("leaf_index", to: size + 5).where("record_id", .equal, id).run()
        let gone = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(gone.problems.contains { $0.message.contains("检查点表为空") })
        #expect(gone.problems.contains { $0.message.contains("超出存证日志") && $0.record?.contains(id) == true })
    }

    @Test("one byte changed in the SQLite file is detected, reported, and the record named")
    func byteInTheFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tianping-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var target: (id: String, body: String) = ("", "")
        let signer = try NoteSigner(name: "test.example/dossiers")
        do {
            let store = try await TianpingStore.open(.sqlite(path: path))
            _ = try await loadProvince(store, cases: 60, seed: 5)
            try await DossierLog(store: store).checkpoint(signer: signer, now: 1)
            let row = try #require(try await store.writer.select().columns("record_id", "body").from("records")
                .where("kind", .equal, "judgment").limit(1).first())
            target = (try row.decode(column: "record_id", as: String.self), try row.decode(column: "body", as: String.self))
            try await store.close()
        }
        // Closing the last connection checkpoints the WAL into the file; change one bit of the judgment's text there.
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        let needle = Array(target.body.utf8)
        let at = try #require(firstIndex(of: needle, in: bytes))
        let offset = at + needle.count / 2
        bytes[offset] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let store = try await TianpingStore.open(.sqlite(path: path))
        do {
            let report = try await store.auditLedger(trustedKeys: [signer.verifier])
            #expect(report.problems.count == 1)
            #expect(report.problems.first?.record?.contains(target.id) == true, "\(report.problems)")
            #expect(report.problems.first?.message.contains("内容") == true)
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }

    func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first, Array(haystack[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }
}
