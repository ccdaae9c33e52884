import Foundation
import Testing
import TianpingAccess
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingStore

@Suite("Accounts, scopes and audit in the store")
struct AccountStoreTests {
    @Test("accounts, lockout, sessions, tokens, assignments, scoped queries and the audit on SQLite")
    func onSQLite() async throws {
        try await withTemporaryStore { store, _ in try await Self.lifecycle(on: store) }
    }

    /// Shared with the PostgreSQL suite.
    static func lifecycle(on store: TianpingStore) async throws {
        _ = try await loadProvince(store, cases: 80, seed: 31)
        let agencies = try await store.agencies()
        let police = try #require(agencies.first { $0.kind == .publicSecurity && $0.level == .county })
        let now: Int64 = 1_764_300_000

        // Passwords are hashed; five failures lock; the right password then waits for the lock to pass.
        let account = try await store.addAccount(username: "reviewer1", displayName: "评查员甲", agency: police.code, role: .caseReviewer,
            password: "correct horse battery", now: now)
        await #expect(throws: AccessError.self) {
            _ = try await store.addAccount(username: "reviewer1", displayName: "x", agency: police.code, role: .leader, password: "p", now: now)
        }
        await #expect(throws: AccessError.self) {
            _ = try await store.addAccount(username: "x", displayName: "x", agency: "NO-SUCH", role: .leader, password: "p", now: now)
        }
        #expect(try await store.checkPassword(username: "reviewer1", password: "correct horse battery", now: now).get() == account)
        for i in 1...4 {
            #expect(try await store.checkPassword(username: "reviewer1", password: "wrong", now: now) == .failure(.invalidCredentials), "\(i)")
        }
        #expect(try await store.checkPassword(username: "reviewer1", password: "wrong", now: now) == .failure(.locked(until: now + 900)))
        #expect(try await store.checkPassword(username: "reviewer1", password: "correct horse battery", now: now + 60)
            == .failure(.locked(until: now + 900)))
        #expect((try? await store.checkPassword(username: "reviewer1", password: "correct horse battery", now: now + 901).get()) == account)
        #expect(try await store.checkPassword(username: "nobody", password: "x", now: now) == .failure(.invalidCredentials))

        // Sessions live until they expire or the account is disabled.
        let session = try await store.openSession(accountID: account.id, address: "10.0.0.1", now: now)
        #expect(try await store.session(token: session.token, now: now + 10)?.account == account)
        #expect(try await store.session(token: session.token, now: now + 9 * 3600) == nil)
        try await store.setAccountDisabled(account.id, true)
        #expect(try await store.session(token: session.token, now: now + 10) == nil)
        #expect(try await store.checkPassword(username: "reviewer1", password: "correct horse battery", now: now + 1000) == .failure(.disabled))
        try await store.setAccountDisabled(account.id, false)

        // Scopes: assigned cases, the agency's cases, a region's cases.
        let principal = try await store.principal(for: account)
        #expect(principal.scope == .assigned(accountID: account.id, purpose: .review))
        #expect(try await store.cases(CaseQuery(), page: 1, pageSize: 500, scope: principal.scope).total == 0)
        let own = try await store.cases(CaseQuery(), page: 1, pageSize: 500, scope: .agency(code: police.code))
        #expect(own.total > 0)
        let first = try #require(own.items.first)
        try await store.assign(caseID: first.id, to: account.id, purpose: .review, now: now)
        #expect(try await store.cases(CaseQuery(), page: 1, pageSize: 500, scope: principal.scope).items.map(\.id) == [first.id])
        #expect(try await store.caseVisible(first.id, scope: principal.scope))
        let all = try await store.cases(CaseQuery(), page: 1, pageSize: 500)
        let stranger = try #require(all.items.first { !own.items.map(\.id).contains($0.id) })
        #expect(try await store.caseVisible(stranger.id, scope: principal.scope) == false)
        #expect(try await store.dossier(caseID: stranger.id, scope: principal.scope) == nil)
        let region = String(police.region.text.prefix(4))
        let regional = try await store.cases(CaseQuery(), page: 1, pageSize: 500, scope: .region(prefix: region))
        #expect(regional.items.allSatisfy { $0.region.hasPrefix(region) })
        #expect(regional.total == all.items.filter { $0.region.hasPrefix(region) }.count)
        #expect(try await store.statistics(scope: .region(prefix: region)).cases == regional.total)
        #expect(try await store.cases(CaseQuery(), page: 1, pageSize: 10, scope: .nothing).total == 0)

        // Tokens: the secret works until revoked and is never stored.
        let token = try await store.issueToken(name: "系统", agency: police.code, permissions: [.readCases, .unmask], now: now)
        let tokenPrincipal = try #require(try await store.tokenPrincipal(secret: token.secret, now: now))
        #expect(tokenPrincipal.permissions == [.readCases], "a token can never unmask")
        #expect(tokenPrincipal.scope == .agency(code: police.code))
        #expect(try await store.revokeToken(id: token.id, now: now))
        #expect(try await store.tokenPrincipal(secret: token.secret, now: now) == nil)

        // The audit keeps every entry, newest first, and reads patterns from them.
        for i in 0..<3 {
            try await store.audit(AuditEntry(principal, .readCase, at: now - 3600 * 6 + Int64(i), caseID: stranger.id, address: "10.0.0.1"))
        }
        try await store.audit(AuditEntry(principal, .unmask, at: now, caseID: first.id, reason: "核查身份", address: "10.0.0.1"))
        let entries = try await store.auditEntries(actor: "reviewer1")
        #expect(entries.count == 4)
        #expect(entries.first?.action == .unmask)
        #expect(entries.first?.reason == "核查身份")
        let signals = try await store.accessSignals(now: now, unassignedThreshold: 1)
        #expect(signals.contains { $0.kind == "many_unassigned_cases" && $0.actor == "reviewer1" && $0.count == 1 })
        #expect(signals.contains { $0.kind == "odd_hours" && $0.actor == "reviewer1" }, "reads at 21:xx UTC are 05:xx in China")
    }
}
