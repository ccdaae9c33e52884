import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdOTP
import HummingbirdTesting
import Testing
import TianpingAccess
import TianpingCore
import TianpingGenerator
import TianpingIngest
import TianpingLedger
import TianpingRules
import TianpingServer
import TianpingStore

/// A served province with one account of every role, and two cases: `inside` (sent by the county police whose
/// staff hold the agency-scoped accounts, in their city, assigned to the officer and the reviewer) and `outside`
/// (another city, another agency, assigned to nobody).
struct AccessFixture: Sendable {
    let store: TianpingStore
    let declarations: RouteDeclarations
    /// The router's own route table: (method, path).
    let routeTable: [(String, String)]
    let sessions: [Role: (token: String, csrf: String)]
    let inside: String
    let outside: String
    let police: String
    let city: String

    static func with(_ body: @Sendable (AccessFixture, any TestClientProtocol) async throws -> Void) async throws {
        try await withProvinceStore(cases: 120, seed: 12) { store, _ in
            let agencies = try await store.agencies()
            let police = try #require(agencies.first { $0.kind == .publicSecurity && $0.level == .county })
            let cityCode = String(police.region.text.prefix(4))
            let procuratorate = try #require(agencies.first { $0.kind == .procuratorate && $0.level == .city && $0.region.text.hasPrefix(cityCode) })
            let court = try #require(agencies.first { $0.kind == .court && $0.level == .city && $0.region.text.hasPrefix(cityCode) })
            let inside = try #require(try await store.cases(CaseQuery(), page: 1, pageSize: 1, scope: .agency(code: police.code)).items.first).id
            let outside = try #require(try await store.cases(CaseQuery(), page: 1, pageSize: 500).items.first { !$0.region.hasPrefix(cityCode) }).id
            let agencyOf: [Role: String] = [
                .systemAdministrator: "system", .committeeSupervisor: try await committee(store), .procuratorialSupervisor: procuratorate.code,
                .internalSupervisor: police.code, .caseOfficer: police.code, .caseReviewer: procuratorate.code, .leader: court.code,
            ]
            var sessions: [Role: (token: String, csrf: String)] = [:]
            for role in Role.allCases {
                sessions[role] = try await signIn(store, role: role, agency: agencyOf[role]!, username: "u-" + role.rawValue)
                if role == .caseOfficer || role == .caseReviewer {
                    let account = try #require(try await store.account(username: "u-" + role.rawValue))
                    try await store.assign(caseID: inside, to: account.id, purpose: role == .caseOfficer ? .handling : .review, now: 1)
                }
            }
            let engine = RuleEngine(pack: try RulePack.bundled(), calendar: try HolidayCalendar.bundled())
            try await DossierLog(store: store).checkpoint(signer: try NoteSigner(name: "test.example/dossiers"), now: 1)
            let routes = try TianpingApplication.routes(store: store, engine: engine)
            let fixture = AccessFixture(store: store, declarations: routes.declarations,
                routeTable: routes.router.routes.map { ($0.method.rawValue, $0.path.description) }, sessions: sessions, inside: inside, outside: outside,
                police: police.code, city: cityCode)
            let app = Application(router: routes.router)
            try await app.test(.router) { client in try await body(fixture, client) }
        }
    }

    /// Whether a role's scope includes a case, decided here from the fixture's construction, not by the store.
    func inScope(_ role: Role, _ caseID: String) -> Bool {
        switch role {
        case .systemAdministrator: return false
        case .committeeSupervisor: return true
        case .procuratorialSupervisor, .leader, .internalSupervisor, .caseOfficer, .caseReviewer: return caseID == inside
        }
    }
}

@Suite("Identity, permissions, masking and audit", .serialized)
struct AccessTests {
    /// Every route of the router declares its access; a route added without one fails here.
    @Test("every route in the route table declares the permission it needs")
    func routeTable() async throws {
        try await AccessFixture.with { fixture, client in
            #expect(fixture.routeTable.count >= 20)
            for (method, path) in fixture.routeTable {
                #expect(fixture.declarations.access(method: method, path: path) != nil, "\(method) \(path) has no declared access")
            }
            // And every route is in the published OpenAPI document.
            let document = try await client.execute(uri: "/openapi.json", method: .get) { try json($0.body) }
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (method, path) in fixture.routeTable {
                let braced = RouteDeclarations.openAPIPath(path)
                #expect(paths[braced]?[method.lowercased()] != nil, "\(method) \(braced) is missing from openapi.json")
            }
        }
    }

    @Test("permission matrix: every role × case route × a case in and out of scope, and anonymous callers")
    func matrix() async throws {
        try await AccessFixture.with { fixture, client in
            // (method, path, permission, is an HTML page)
            let routes: [(HTTPRequest.Method, String, Permission)] = [
                (.get, "/api/v1/cases/{id}", .readCases), (.get, "/api/v1/cases/{id}/findings", .readFindings),
                (.post, "/api/v1/cases/{id}/dossier", .exportDossiers), (.get, "/api/v1/cases/{id}/persons.csv", .exportDossiers),
                (.post, "/api/v1/cases/{id}/unmask", .unmask), (.get, "/cases/{id}", .readCases), (.post, "/cases/{id}/unmask", .unmask),
            ]
            for role in Role.allCases {
                let session = fixture.sessions[role]!
                let signedIn = SignedInClient(base: client, session: session)
                for (method, template, permission) in routes {
                    for caseID in [fixture.inside, fixture.outside] {
                        let uri = template.replacingOccurrences(of: "{id}", with: caseID)
                        let body = method == .post ? ByteBuffer(string: #"{"reason":"核查申诉材料需要"}"#) : nil
                        let status = try await signedIn.execute(uri: uri, method: method, headers: [.contentType: "application/json"],
                            body: body) { $0.status }
                        let expected: HTTPResponse.Status = !role.permissions.contains(permission) ? .forbidden
                            : fixture.inScope(role, caseID) ? .ok : .notFound
                        #expect(status == expected, "\(role.rawValue) \(method) \(uri): \(status), expected \(expected)")
                    }
                }
                // Lists contain only cases in scope.
                if role.permissions.contains(.readCases) {
                    let ids = try await signedIn.execute(uri: "/api/v1/cases?pageSize=500", method: .get) { response in
                        try #require(json(response.body)["items"] as? [[String: Any]]).compactMap { $0["id"] as? String }
                    }
                    #expect(ids.contains(fixture.inside))
                    #expect(ids.contains(fixture.outside) == fixture.inScope(role, fixture.outside), "\(role.rawValue) list")
                    let findingCases = try await signedIn.execute(uri: "/api/v1/findings?status=all&pageSize=500", method: .get) { response in
                        try #require(json(response.body)["items"] as? [[String: Any]]).compactMap { $0["caseID"] as? String }
                    }
                    #expect(findingCases.allSatisfy { fixture.inScope(role, $0) || role == .committeeSupervisor })
                }
                for (uri, permission) in [("/api/v1/stats", Permission.readStatistics), ("/api/v1/audit", .readAudit), ("/api/v1/cases", .readCases)] {
                    let status = try await signedIn.execute(uri: uri, method: .get) { $0.status }
                    #expect(status == (role.permissions.contains(permission) ? .ok : .forbidden), "\(role.rawValue) \(uri)")
                }
            }
            // Anonymous: 401 on the API, a redirect to sign-in for pages; the public log and health stay open.
            for uri in ["/api/v1/cases", "/api/v1/cases/\(fixture.inside)", "/api/v1/findings", "/api/v1/stats", "/api/v1/audit",
                "/api/v1/agencies", "/api/v1/rules"]
            {
                #expect(try await client.execute(uri: uri, method: .get) { $0.status } == .unauthorized, "\(uri)")
            }
            #expect(try await client.execute(uri: "/api/v1/cases/\(fixture.inside)/dossier", method: .post) { $0.status } == .unauthorized)
            try await client.execute(uri: "/cases/\(fixture.inside)", method: .get, headers: [.accept: "text/html"]) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location]?.hasPrefix("/login") == true)
            }
            for uri in ["/health", "/", "/login", "/openapi.json", "/api/v1/ledger/keys"] {
                #expect(try await client.execute(uri: uri, method: .get) { $0.status } == .ok, "\(uri)")
            }
            // An agency system's token sees its own agency's cases, and cannot unmask.
            let token = try await fixture.store.issueToken(name: "执法办案系统", agency: fixture.police,
                permissions: [.readCases, .exportDossiers], now: 1)
            let bearer: HTTPFields = [.authorization: "Bearer \(token.secret)"]
            #expect(try await client.execute(uri: "/api/v1/cases/\(fixture.inside)", method: .get, headers: bearer) { $0.status } == .ok)
            #expect(try await client.execute(uri: "/api/v1/cases/\(fixture.outside)", method: .get, headers: bearer) { $0.status } == .notFound)
            #expect(try await client.execute(uri: "/api/v1/findings", method: .get, headers: bearer) { $0.status } == .forbidden)
            #expect(try await client.execute(uri: "/api/v1/cases/\(fixture.inside)/dossier", method: .post, headers: bearer, body: ByteBuffer(string: "reason=abcd")) { $0.status }
                == .forbidden, "a token never exports unmasked records")
            _ = try await fixture.store.revokeToken(id: token.id, now: 2)
            #expect(try await client.execute(uri: "/api/v1/cases/\(fixture.inside)", method: .get, headers: bearer) { $0.status } == .unauthorized)
        }
    }

    @Test("a state-changing request with a session cookie but without the CSRF token is refused")
    func csrf() async throws {
        try await AccessFixture.with { fixture, client in
            let session = fixture.sessions[.committeeSupervisor]!
            let cookie: HTTPFields = [.cookie: "tianping_session=\(session.token)", .contentType: "application/x-www-form-urlencoded"]
            let uri = "/cases/\(fixture.inside)/unmask"
            try await client.execute(uri: uri, method: .post, headers: cookie, body: ByteBuffer(string: "reason=%E6%A0%B8%E6%9F%A5%E9%9C%80%E8%A6%81")) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("csrf_rejected"))
            }
            var wrong = cookie
            wrong[HTTPField.Name("X-CSRF-Token")!] = "not-the-token"
            #expect(try await client.execute(uri: uri, method: .post, headers: wrong, body: ByteBuffer(string: "reason=abcd")) { $0.status } == .forbidden)
            // The form field works as well as the header.
            let form = "reason=%E6%A0%B8%E6%9F%A5%E9%9C%80%E8%A6%81&_csrf=\(session.csrf)"
            try await client.execute(uri: uri, method: .post, headers: cookie, body: ByteBuffer(string: form)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("以下为原文"))
            }
            // Sign-in itself: the form's token must match its cookie (double submit).
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=u-leader&password=correct+horse+battery&_csrf=forged")) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    @Test("sign-in sets a hardened session cookie; five wrong passwords lock the account; throttling per address")
    func signInAndLockout() async throws {
        try await AccessFixture.with { fixture, client in
            func attempt(_ user: String, _ password: String, code: String = "") async throws -> TestResponse {
                let page = try await client.execute(uri: "/login", method: .get) { $0 }
                let setCookie = page.headers[.setCookie] ?? ""
                let token = setCookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init) ?? ""
                #expect(!token.isEmpty, "the sign-in page sets its CSRF cookie")
                #expect(String(buffer: page.body).contains(token))
                return try await client.execute(uri: "/login", method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "tianping_login_csrf=\(token)"],
                    body: ByteBuffer(string: "username=\(user)&password=\(password)&_csrf=\(token)&code=\(code)&next=%2Fapi%2Fv1%2Fme"))
            }
            let ok = try await attempt("u-leader", "correct+horse+battery")
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/api/v1/me")
            let cookie = try #require(ok.headers[values: .setCookie].first { $0.hasPrefix("tianping_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"), "Secure only under TLS")
            let session = try #require(cookie.split(separator: ";").first?.split(separator: "=", maxSplits: 1).last.map(String.init))
            let me = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "tianping_session=\(session)"]) { $0 }
            #expect(me.status == .ok)
            #expect(try json(me.body)["role"] as? String == "leader")
            // A second factor: without the current code the right password is not enough.
            let supervisor = try #require(try await fixture.store.account(username: "u-committee_supervisor"))
            try await fixture.store.setTOTPSecret(supervisor.id, "tianping-test-secret")
            let noCode = try await attempt("u-committee_supervisor", "correct+horse+battery")
            #expect(noCode.status == .unauthorized)
            #expect(String(buffer: noCode.body).contains("登录失败"), "the same answer as a wrong password (SignInHardeningTests)")
            let code = String(format: "%06d", TOTP(secret: "tianping-test-secret").compute())
            #expect(try await attempt("u-committee_supervisor", "correct+horse+battery", code: code).status == .seeOther)
            #expect(try await attempt("u-committee_supervisor", "correct+horse+battery", code: code).status == .unauthorized,
                "a code is accepted once: a seen code cannot be replayed")
            // Wrong passwords: the fifth locks the account, and then even the right password is refused.
            // The answer does not say so (one status and message for every failure); the store and the audit do.
            for _ in 0..<5 { #expect(try await attempt("u-case_reviewer", "wrong").status == .unauthorized) }
            let locked = try await attempt("u-case_reviewer", "correct+horse+battery")
            #expect(locked.status == .unauthorized)
            #expect(try await fixture.store.auditEntries(actor: "u-case_reviewer", action: .signInFailed, limit: 1).first?.reason == "账户已锁定")
            // An open redirect is not followed.
            #expect(WebPagesProbe.safeNext("//evil.example/") == "/")
            #expect(WebPagesProbe.safeNext("/\t/evil.example/") == "/", "browsers drop the tab: //evil.example")
            #expect(WebPagesProbe.safeNext("/cases/TP1?x=1") == "/cases/TP1?x=1")
            // The address has now failed seven times; three more and it must wait, whatever the account.
            for _ in 0..<3 { _ = try await attempt("nobody", "x") }
            #expect(try await attempt("u-leader", "correct+horse+battery").status == .tooManyRequests)
            let failures = try await fixture.store.auditEntries(action: .signInFailed, limit: 100)
            #expect(failures.count >= 10)
            #expect(try await fixture.store.auditEntries(actor: "u-leader", action: .signIn, limit: 10).count == 1)
            // Signing out ends the session and is audited.
            let out = try await client.execute(uri: "/logout", method: .post,
                headers: [.cookie: "tianping_session=\(session)", .contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "_csrf=\(try #require(json(me.body)["csrfToken"] as? String))")) { $0.status }
            #expect(out == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/me", method: .get, headers: [.cookie: "tianping_session=\(session)"]) { $0.status }
                == .unauthorized)
            #expect(try await fixture.store.auditEntries(actor: "u-leader", action: .signOut, limit: 10).count == 1)
        }
    }

    @Test("masking in JSON, HTML and CSV; unmasking needs a reason and is audited; no secret in any response")
    func maskingAndAudit() async throws {
        try await AccessFixture.with { fixture, client in
            let signedIn = SignedInClient(base: client, session: fixture.sessions[.internalSupervisor]!)
            let dossier = try #require(try await fixture.store.dossier(caseID: fixture.inside))
            let persons = dossier.records.compactMap { r -> Person? in if case .person(let p) = r.record.payload { return p } else { return nil } }
            let party = try #require(persons.first { $0.idNumber != nil })
            let fullName = party.name.value
            let fullID = try #require(party.idNumber?.value)
            let json = try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)", method: .get) { String(buffer: $0.body) }
            let html = try await signedIn.execute(uri: "/cases/\(fixture.inside)", method: .get) { String(buffer: $0.body) }
            let csv = try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)/persons.csv", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                return String(buffer: response.body)
            }
            #expect(csv.hasPrefix("\u{FEFF}"), "UTF-8 with a BOM for Excel")
            for (label, text) in [("JSON", json), ("HTML", html), ("CSV", csv)] {
                #expect(!text.contains(fullID), "\(label) shows an identity number in full")
                #expect(!text.contains(fullName) || fullName.count < 2, "\(label) shows a party's name in full")
                #expect(text.contains(Masking.idNumber(fullID)), "\(label) shows the masked identity number")
            }
            // Victims and witnesses get the publication form (张某).
            if let victim = persons.first(where: { $0.role == .victim || $0.role == .witness }) {
                #expect(json.contains(Masking.publicationName(victim.name.value)))
            }
            // Unmasking: refused without a reason, shown with one, and written to the audit with that reason.
            try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)/unmask", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"reason":""}"#)) { response in
                #expect(response.status == .badRequest)
            }
            let unmasked = try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)/unmask", method: .post,
                headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"reason":"核查当事人身份信息"}"#)) { String(buffer: $0.body) }
            #expect(unmasked.contains(fullID))
            let audit = try await fixture.store.auditEntries(caseID: fixture.inside, limit: 50)
            let actions = Set(audit.filter { $0.actor == "u-internal_supervisor" }.map(\.action))
            #expect(actions.isSuperset(of: [.readCase, .exportList, .unmask]))
            #expect(audit.first { $0.action == .unmask }?.reason == "核查当事人身份信息")
            // Reading a case's findings and exporting its dossier are audited as well.
            #expect(try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)/findings", method: .get) { $0.status } == .ok)
            #expect(try await signedIn.execute(uri: "/api/v1/cases/\(fixture.inside)/dossier", method: .post, body: ByteBuffer(string: "reason=abcd")) { $0.status } == .ok)
            let later = Set(try await fixture.store.auditEntries(actor: "u-internal_supervisor", limit: 50).map(\.action))
            #expect(later.isSuperset(of: [.readCaseFindings, .exportDossier]))
            // Denied access is audited too.
            _ = try await signedIn.execute(uri: "/api/v1/audit", method: .get) { $0.status }
            #expect(try await fixture.store.auditEntries(action: .accessDenied, limit: 10).contains { $0.actor == "u-internal_supervisor" })
            // The administrator reads the audit; nothing it returns, nor any page, carries a password hash or a secret.
            let admin = SignedInClient(base: client, session: fixture.sessions[.systemAdministrator]!)
            let auditJSON = try await admin.execute(uri: "/api/v1/audit", method: .get) { String(buffer: $0.body) }
            #expect(auditJSON.contains("核查当事人身份信息"))
            for text in [auditJSON, json, html, csv, unmasked] {
                #expect(!text.contains("$2b$") && !text.contains("$2a$"), "a bcrypt hash leaked")
                for session in fixture.sessions.values { #expect(!text.contains(session.token)) }
            }
        }
    }
}

/// Access to the sign-in page's redirect check from tests.
enum WebPagesProbe {
    static func safeNext(_ s: String) -> String { TianpingApplication.safeRedirect(s) }
}
