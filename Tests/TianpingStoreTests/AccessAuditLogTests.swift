import Foundation
import SQLKit
import Testing
import TianpingAccess
import TianpingCore
import TianpingLedger
import TianpingRules
@testable import TianpingStore

@Suite("The access audit as a tamper-evident log, and sign-in attempts reserved before bcrypt")
struct AccessAuditLogTests {
    @Test("a deleted or changed audit row, or a row and its leaf changed together, is named by the ledger self-audit")
    func tamperOnSQLite() async throws {
        try await withTemporaryStore { store, _ in try await Self.tamper(on: store) }
    }

    @Test("parallel wrong passwords get at most the lockout threshold of bcrypt checks; every failure costs one bcrypt")
    func reservationOnSQLite() async throws {
        try await withTemporaryStore { store, _ in try await Self.reservation(on: store) }
    }

    static func entry(_ i: Int) -> AuditEntry {
        AuditEntry(at: 1_764_300_000 + Int64(i), actor: "alice", actorKind: "account", role: "leader", agency: "520102FY01",
            action: i.isMultiple(of: 2) ? .readCase : .readList, target: i.isMultiple(of: 2) ? nil : "GET /api/v1/cases?type=criminal",
            caseID: i.isMultiple(of: 2) ? "TP-\(i)" : nil, reason: i == 3 ? "跨行\n理由\\" : nil, address: "10.0.0.\(i % 250)",
            itemCount: i.isMultiple(of: 2) ? nil : i)
    }

    /// Shared with the PostgreSQL suite.
    static func tamper(on store: TianpingStore) async throws {
        let signer = try NoteSigner(name: "test.example/dossiers")
        try await store.activateLedgerKey(signer.verifier.encoded, at: 1)
        for i in 0..<40 { try await store.audit(entry(i)) }
        let log = DossierLog(store: store)
        try await log.checkpoint(signer: signer, now: 10)
        let clean = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(clean.isClean, "\(clean.problems)")
        #expect(clean.accessAuditEntries == 40)
        #expect(clean.accessAuditCheckpointSize == 40)

        // Entries written after the checkpoint are in the log at once; the next checkpoint continues from the
        // saved right edge (a new process, no tree in memory) and is the RFC 9162 head of every row.
        for i in 40..<45 { try await store.audit(entry(i)) }
        try await DossierLog(store: store).checkpoint(signer: signer, now: 20)
        let rows = try await store.auditEntries(limit: 100).reversed()
        #expect(rows.count == 45)
        let independent = MerkleTree(leafHashes: rows.map { $0.leafHash(id: $0.id!) })
        let stored = try #require(try await store.latestAccessAuditCheckpoint())
        #expect(stored.size == 45)
        #expect(stored.root == (try independent.root()).hex)
        let signed = try Checkpoint(text: try signer.verifier.verify(stored.note))
        #expect(signed.origin == "test.example/dossiers/access-audit", "never the dossier log's origin")
        #expect(try await store.auditLedger(trustedKeys: [signer.verifier]).isClean)

        // Someone with database access changes who read a case: the self-audit names the row.
        let victim = try #require(rows.first { $0.caseID == "TP-10" }?.id)
        try await store.writer.update("access_audit").set("actor", to: "bob").where("id", .equal, victim).run()
        let changed = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(changed.problems.contains { $0.record?.contains("#\(victim)") == true && $0.message.contains("改动") }, "\(changed.problems)")
        #expect(changed.problems.contains { $0.message.contains("根哈希与签名检查点不符") }, "the signed head no longer matches either")
        // The finding is the ledger self-audit's own: critical, kind integrity, naming the row.
        #expect(try await store.recordLedgerAudit(changed, now: Timestamp(secondsSinceEpoch: 30)).opened >= 1)
        let integrity = try await store.findings(FindingQuery(kind: .integrity), page: 1, pageSize: 10)
        #expect(integrity.items.contains { $0.finding.explanation.contains("访问审计记录 #\(victim)") })

        // The same change with the leaf hash rewritten to match: only the signed head tells, and it does.
        let altered = try #require(try await store.auditEntries(limit: 100).first { $0.id == victim })
        try await store.writer.update("access_audit_leaves").set("leaf_hash", to: altered.leafHash(id: victim).hex)
            .where("audit_id", .equal, victim).run()
        let rewritten = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(!rewritten.isClean)
        #expect(rewritten.problems.contains { $0.message.contains("根哈希与签名检查点不符") })
        // …and no process signs over it (a fresh one rereads the log when the saved edge is gone).
        try await store.writer.update("access_audit_checkpoints").set("frontier", to: SQLLiteral.null).run()
        await #expect(throws: StoreError.self) { try await store.signAccessAuditCheckpoint(signer: signer, now: 40) }
        // The dossier log still signs (and its callers go on to the self-audit), but the audit log's head stays.
        try await store.audit(entry(99))
        try await DossierLog(store: store).checkpoint(signer: signer, now: 41)
        #expect(try await store.latestAccessAuditCheckpoint()?.size == 45)

        // Restored from backup: clean again, and the finding resolves.
        try await store.writer.update("access_audit").set("actor", to: "alice").where("id", .equal, victim).run()
        let original = try #require(rows.first { $0.id == victim })
        try await store.writer.update("access_audit_leaves").set("leaf_hash", to: original.leafHash(id: victim).hex)
            .where("audit_id", .equal, victim).run()
        let restored = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(restored.isClean, "\(restored.problems)")
        #expect(try await store.recordLedgerAudit(restored, now: Timestamp(secondsSinceEpoch: 50)).resolved >= 1)

        // A deleted row leaves its leaf without a row.
        let deleted = try #require(rows.first { $0.caseID == "TP-20" }?.id)
        try await store.writer.delete(from: "access_audit").where("id", .equal, deleted).run()
        let gone = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(gone.problems.contains { $0.record?.contains("#\(deleted)") == true && $0.message.contains("删除") }, "\(gone.problems)")
        // Deleting the leaf as well (the last rows, so no gap shows) still leaves the log shorter than it was signed.
        for row in try await store.writer.select().column("audit_id").from("access_audit_leaves").where("leaf_index", .greaterThanOrEqual, 44).all() {
            let id = try row.decode(column: "audit_id", as: Int64.self)
            try await store.writer.delete(from: "access_audit").where("id", .equal, id).run()
            try await store.writer.delete(from: "access_audit_leaves").where("audit_id", .equal, id).run()
        }
        let truncated = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(truncated.problems.contains { $0.message.contains("少于已签名检查点") }, "\(truncated.problems)")
        // A row written around the audit function has no leaf.
        try await store.writer.insert(into: "access_audit").columns("at", "actor", "actor_kind", "role", "agency", "action", "outcome")
            .values(SQLBind(Int64(1)), SQLBind("mallory"), SQLBind("account"), SQLBind("leader"), SQLBind("-"), SQLBind("read_case"),
                SQLBind("allowed")).run()
        let around = try await store.auditLedger(trustedKeys: [signer.verifier])
        #expect(around.problems.contains { $0.message.contains("未经审计函数写入") })
    }

    /// Shared with the PostgreSQL suite.
    static func reservation(on store: TianpingStore) async throws {
        let now: Int64 = 1_764_300_000
        let account = try await store.addAccount(username: "target", displayName: "被猜测的账户", agency: "admin", role: .systemAdministrator,
            password: "correct horse battery", now: now)
        let before = store.passwordChecks
        // Twenty guesses at once: the first five reserve the five failures the lockout allows; the rest are refused
        // before bcrypt runs on the account's hash (today every one of them would be checked).
        let results = try await withThrowingTaskGroup(of: Result<Account, SignInFailure>.self) { group in
            for i in 0..<20 {
                group.addTask { try await store.checkPassword(username: "target", password: "guess-\(i)", now: now) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(store.passwordChecks - before <= TianpingStore.lockoutThreshold, "\(store.passwordChecks - before) real checks")
        #expect(store.passwordChecks - before >= 1)
        #expect(results.allSatisfy { if case .failure = $0 { return true } else { return false } })
        #expect(try await store.checkPassword(username: "target", password: "correct horse battery", now: now + 60) == .failure(.locked(until: now + 900)),
            "the burst locked the account")

        // Every failure costs one bcrypt — a decoy where there is nothing to check — so timing tells none apart.
        func costs(_ body: () async throws -> Void) async throws -> (real: Int, decoy: Int) {
            let (r, d) = (store.passwordChecks, store.decoyPasswordChecks)
            try await body()
            return (store.passwordChecks - r, store.decoyPasswordChecks - d)
        }
        #expect(try await costs { _ = try await store.checkPassword(username: "target", password: "x", now: now + 60) } == (0, 1), "locked")
        #expect(try await costs { _ = try await store.checkPassword(username: "nobody", password: "x", now: now + 60) } == (0, 1), "unknown")
        #expect(try await costs { _ = try await store.checkPassword(username: "target", password: "x", now: now + 901) } == (1, 0), "wrong")
        // The right password after the lock: accepted, and the reservation it made is given back.
        #expect(try await store.checkPassword(username: "target", password: "correct horse battery", now: now + 902).get() == account)
        for i in 1...3 {
            #expect(try await store.checkPassword(username: "target", password: "wrong", now: now + 903) == .failure(.invalidCredentials), "\(i)")
        }
        #expect(try await store.checkPassword(username: "target", password: "wrong", now: now + 903) == .failure(.locked(until: now + 903 + 900)),
            "one earlier failure (now + 901) and four more lock it: the success in between did not clear the count")
    }
}
