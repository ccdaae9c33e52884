import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing
import TianpingAnalysis
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingServer
import TianpingStore

/// Issue 14, items 11 and 12: requests for cases or warnings outside the caller's scope leave a trace, list reads
/// are audited, and sign-in failures all look alike.
@Suite("Access audit of misses and lists; sign-in failures alike")
struct AccessAuditTests {
    /// Analyses the fixture's province so that it has findings and warnings.
    static func analyse(_ store: TianpingStore) async throws {
        let asOf = Timestamp("2026-07-01T00:00:00+08:00")!
        _ = try await AnalysisPipeline.standard(clock: ManualClock(asOf)).processQueue(store: store, asOf: asOf)
    }

    /// The audit entries an actor gained while `body` ran, oldest first.
    static func added(_ store: TianpingStore, _ actor: String, _ body: () async throws -> Void) async throws -> [AuditEntry] {
        let last = try await store.auditEntries(actor: actor, limit: 1).first?.id ?? 0
        try await body()
        return try await store.auditEntries(actor: actor, limit: 5_000).filter { ($0.id ?? 0) > last }.reversed()
    }

    static func encoded(_ id: String) -> String { id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id }

    @Test("a case or warning outside the scope answers 404 and is audited with the id asked for; repeated misses raise a signal")
    func misses() async throws {
        try await AccessFixture.with { fixture, client in
            try await Self.analyse(fixture.store)
            let store = fixture.store
            let actor = "u-procuratorial_supervisor"
            let prosecutor = SignedInClient(base: client, session: fixture.sessions[.procuratorialSupervisor]!)
            // A case of another city: 404 as before, and now an entry naming it, `denied` since it exists.
            var bodies: [String] = []
            let outside = try await Self.added(store, actor) {
                try await prosecutor.execute(uri: "/api/v1/cases/\(fixture.outside)", method: .get) { response in
                    #expect(response.status == .notFound)
                    bodies.append(String(buffer: response.body).replacingOccurrences(of: fixture.outside, with: "ID"))
                }
            }
            #expect(outside.count == 1)
            #expect(outside.first?.action == .outOfScope)
            #expect(outside.first?.caseID == fixture.outside)
            #expect(outside.first?.outcome == "denied")
            #expect(outside.first?.target?.contains("/api/v1/cases/\(fixture.outside)") == true)
            // A case that does not exist: the same answer, audited as `failed`.
            let missing = try await Self.added(store, actor) {
                try await prosecutor.execute(uri: "/api/v1/cases/TP-NO-SUCH-CASE", method: .get) { response in
                    #expect(response.status == .notFound)
                    bodies.append(String(buffer: response.body).replacingOccurrences(of: "TP-NO-SUCH-CASE", with: "ID"))
                }
            }
            // Compared as JSON values: the encoder's key order is not fixed.
            let decoded = bodies.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: [String: String]] }
            #expect(decoded.count == 2 && decoded[0] != nil && decoded[0] == decoded[1],
                "the answer does not tell an out-of-scope case from a missing one: \(bodies)")
            #expect(missing.map(\.outcome) == ["failed"])
            #expect(missing.first?.caseID == "TP-NO-SUCH-CASE")
            // The case's page, its findings, and a warning of it, as JSON and as a page.
            var warning: StoredWarning?
            for w in try await store.warningPage(WarningListQuery(), page: 1, pageSize: 500, scope: .everything, now: 0).items
            where !(try await store.caseVisible(w.caseID, scope: .region(prefix: fixture.city))) {
                warning = w
                break
            }
            let foreign = try #require(warning, "the analysed province has a warning outside the prosecutor's city")
            let more = try await Self.added(store, actor) {
                for uri in ["/cases/\(fixture.outside)", "/api/v1/cases/\(fixture.outside)/findings",
                    "/api/v1/warnings/\(Self.encoded(foreign.id))", "/workbench/warnings/\(Self.encoded(foreign.id))",
                    "/api/v1/warnings/\(Self.encoded(foreign.id))/attachments"]
                {
                    let status = try await prosecutor.execute(uri: uri, method: .get, headers: [.accept: "text/html"]) { $0.status }
                    #expect(status == .notFound, "\(uri)")
                }
            }
            #expect(more.map(\.action) == Array(repeating: .outOfScope, count: 5))
            #expect(more.map(\.caseID) == [fixture.outside, fixture.outside, foreign.caseID, foreign.caseID, foreign.caseID])
            #expect(more.allSatisfy { $0.outcome == "denied" })
            // A warning pushed in bulk that the caller cannot see is a miss as well.
            let pushed = try await Self.added(store, actor) {
                _ = try await prosecutor.execute(uri: "/api/v1/warnings/push", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"ids":["\#(foreign.id)"]}"#)) { $0.status }
            }
            #expect(pushed.contains { $0.action == .outOfScope && $0.caseID == foreign.caseID })
            // A read in scope is no miss.
            let inside = try await Self.added(store, actor) {
                let status = try await prosecutor.execute(uri: "/api/v1/cases/\(fixture.inside)", method: .get) { $0.status }
                #expect(status == .ok)
            }
            #expect(inside.map(\.action) == [.readCase])

            // Probing: ten distinct cases asked for in a day raise a signal naming the actor; a stale link does not.
            #expect(!(try await store.accessSignals(now: Timestamp.now().secondsSinceEpoch)).contains { $0.kind == "out_of_scope_probing" })
            for i in 0..<8 {
                _ = try await prosecutor.execute(uri: "/api/v1/cases/TP-PROBE-\(i)", method: .get) { $0.status }
            }
            let leader = SignedInClient(base: client, session: fixture.sessions[.leader]!)
            for _ in 0..<12 { _ = try await leader.execute(uri: "/api/v1/cases/\(fixture.outside)", method: .get) { $0.status } }
            let signals = try await store.accessSignals(now: Timestamp.now().secondsSinceEpoch)
            let probing = try #require(signals.first { $0.kind == "out_of_scope_probing" && $0.actor == actor }, "\(signals)")
            let asked = Set([fixture.outside, "TP-NO-SUCH-CASE", foreign.caseID] + (0..<8).map { "TP-PROBE-\($0)" })
            #expect(probing.count == asked.count, "distinct cases asked for")
            #expect(probing.message.contains("其中 \(Set([fixture.outside, foreign.caseID]).count) 个确实存在"))
            #expect(!signals.contains { $0.kind == "out_of_scope_probing" && $0.actor == "u-leader" }, "one case asked twelve times is not probing")
        }
    }

    @Test("list reads are audited once per request, with their filters and the rows shown; a warning's page and JSON too")
    func lists() async throws {
        try await AccessFixture.with { fixture, client in
            try await Self.analyse(fixture.store)
            let store = fixture.store
            let actor = "u-committee_supervisor"
            let supervisor = SignedInClient(base: client, session: fixture.sessions[.committeeSupervisor]!)
            func items(_ response: TestResponse) throws -> Int { (try json(response.body)["items"] as? [Any])?.count ?? -1 }

            var shown = 0
            var entries = try await Self.added(store, actor) {
                shown = try await supervisor.execute(uri: "/api/v1/cases?type=criminal&pageSize=7", method: .get) { try items($0) }
            }
            #expect(shown > 0)
            #expect(entries.count == 1, "one entry per request, not per row")
            #expect(entries.first?.action == .readList)
            #expect(entries.first?.target == "GET /api/v1/cases?type=criminal&pageSize=7")
            #expect(entries.first?.itemCount == shown)

            entries = try await Self.added(store, actor) {
                shown = try await supervisor.execute(uri: "/api/v1/findings?status=all&pageSize=5", method: .get) { try items($0) }
            }
            #expect(entries.map(\.action) == [.readList])
            #expect(entries.first?.target?.contains("status=all") == true)
            #expect(entries.first?.itemCount == shown)

            entries = try await Self.added(store, actor) {
                shown = try await supervisor.execute(uri: "/api/v1/warnings?pageSize=3", method: .get) { try items($0) }
            }
            #expect(entries.map(\.action) == [.readList])
            #expect(entries.first?.itemCount == shown)
            #expect(shown > 0)

            let warning = try #require(try await store.warningPage(WarningListQuery(), page: 1, pageSize: 1, scope: .everything, now: 0).items.first)
            let id = Self.encoded(warning.id)
            entries = try await Self.added(store, actor) {
                for uri in ["/api/v1/warnings/\(id)", "/workbench/warnings/\(id)", "/api/v1/warnings/\(id)/attachments"] {
                    let status = try await supervisor.execute(uri: uri, method: .get) { $0.status }
                    #expect(status == .ok, "\(uri)")
                }
            }
            #expect(entries.map(\.action) == [.readWarning, .readWarning, .readList])
            #expect(entries.allSatisfy { $0.caseID == warning.caseID })
            #expect(entries.last?.itemCount == 0)

            entries = try await Self.added(store, actor) {
                for uri in ["/workbench", "/workbench/warnings?grade=red", "/workbench/queue"] {
                    let status = try await supervisor.execute(uri: uri, method: .get) { $0.status }
                    #expect(status == .ok, "\(uri)")
                }
            }
            #expect(entries.map(\.action) == [.readList, .readList, .readList])
            #expect(entries.map { $0.target ?? "" } == ["GET /workbench", "GET /workbench/warnings?grade=red", "GET /workbench/queue"])
            #expect(entries.allSatisfy { $0.itemCount != nil })

            entries = try await Self.added(store, actor) {
                _ = try await supervisor.execute(uri: "/api/v1/events/warnings?timeout=1", method: .get) { $0.status }
            }
            #expect(entries.map(\.action) == [.readList])
            #expect(entries.first?.target == "GET /api/v1/events/warnings?timeout=1")

            // The administrator sees them, with the count, on the audit page.
            let admin = SignedInClient(base: client, session: fixture.sessions[.systemAdministrator]!)
            let page = try await admin.execute(uri: "/admin/audit", method: .get) { String(buffer: $0.body) }
            #expect(page.contains("GET /api/v1/cases?type=criminal&amp;pageSize=7") || page.contains("GET /api/v1/cases?type=criminal&#38;pageSize=7"))
        }
    }

    /// A sign-in form post with a matching double-submit token; the body with that token taken out.
    static func attempt(_ client: any TestClientProtocol, _ user: String, _ password: String, code: String = "") async throws
        -> (status: HTTPResponse.Status, body: String)
    {
        let token = Secrets.token()
        return try await client.execute(uri: "/login", method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "tianping_login_csrf=\(token)"],
            body: ByteBuffer(string: "username=\(user)&password=\(password)&_csrf=\(token)&code=\(code)")) { response in
            let fresh = response.headers[values: .setCookie].first { $0.hasPrefix("tianping_login_csrf=") }?
                .split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
            return (response.status, String(buffer: response.body).replacingOccurrences(of: fresh, with: "TOKEN"))
        }
    }

    @Test("every sign-in failure has the same status and message: unknown user, wrong password, locked, disabled, wrong or missing code")
    func signInFailuresAlike() async throws {
        try await AccessFixture.with { fixture, client in
            let store = fixture.store
            let right = "correct+horse+battery"
            // Locked (through the store, not to spend this address's attempts), disabled, and a second factor.
            for _ in 0..<TianpingStore.lockoutThreshold {
                _ = try await store.checkPassword(username: "u-case_reviewer", password: "wrong", now: Timestamp.now().secondsSinceEpoch)
            }
            let officer = try #require(try await store.account(username: "u-case_officer"))
            try await store.setAccountDisabled(officer.id, true)
            let supervisor = try #require(try await store.account(username: "u-committee_supervisor"))
            try await store.setTOTPSecret(supervisor.id, "tianping-test-secret")
            let current = TOTP(secret: "tianping-test-secret").compute()
            let wrongCode = String(format: "%06d", (current + 500_000) % 1_000_000)

            let decoys = store.decoyPasswordChecks
            let failures: [(String, (status: HTTPResponse.Status, body: String))] = [
                ("unknown user", try await Self.attempt(client, "nobody-here", right)),
                ("wrong password", try await Self.attempt(client, "u-leader", "wrong")),
                ("locked", try await Self.attempt(client, "u-case_reviewer", right)),
                ("disabled", try await Self.attempt(client, "u-case_officer", right)),
                ("no code", try await Self.attempt(client, "u-committee_supervisor", right)),
                ("wrong code", try await Self.attempt(client, "u-committee_supervisor", right, code: wrongCode)),
            ]
            for (label, failure) in failures {
                #expect(failure.status == .unauthorized, "\(label): \(failure.status)")
                #expect(failure.body == failures[0].1.body, "\(label) answers differently")
                #expect(failure.body.contains("登录失败"), "\(label)")
            }
            #expect(store.decoyPasswordChecks - decoys == 2, "a decoy bcrypt for the unknown user and the locked account")
            // The audit keeps the cause for the administrator.
            let causes = try await store.auditEntries(action: .signInFailed, limit: 20).compactMap(\.reason)
            #expect(Set(causes).isSuperset(of: ["账户已锁定", "账户已停用", "用户名或密码错误", "动态验证码错误、已过期或已使用"]))
        }
    }

    @Test("parallel wrong passwords for one account get at most the lockout threshold of bcrypt checks")
    func parallelGuesses() async throws {
        try await AccessFixture.with { fixture, client in
            let before = fixture.store.passwordChecks
            // Ten at once: the per-address throttle lets ten through, the account's reservation five.
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<10 { group.addTask { try await Self.attempt(client, "u-leader", "guess-\(i)").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .unauthorized })
            let checks = fixture.store.passwordChecks - before
            #expect(checks <= TianpingStore.lockoutThreshold, "\(checks) passwords checked against the account's hash")
            #expect(checks >= 1)
        }
    }
}
