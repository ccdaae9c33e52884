import Foundation
import Hummingbird
import HummingbirdOTP
import Synchronization
import TianpingAccess
import TianpingRules
import TianpingCore
import TianpingExecution
import TianpingStore
import TianpingWorkflow

/// The HTML side: landing page, sign-in and sign-out, a case's page with its audited unmask form, the audit viewer;
/// and `/api/v1/me`, `/api/v1/audit` for programs.
struct WebPages: Sendable {
    static let loginCSRFCookie = "tianping_login_csrf"
    /// The answer to every failed sign-in: wrong password, unknown user, locked or disabled account, wrong or
    /// missing second-factor code.
    static let signInFailedMessage = "登录失败：用户名、密码或动态验证码不正确，或账户暂时无法登录（连续失败 5 次将锁定 15 分钟）。请核对后重试，或联系管理员。"

    let store: TianpingStore
    let engine: RuleEngine
    let catalogue: RuleCatalogue
    let templates: Templates
    let directory: AgencyDirectory
    let throttle: SignInThrottle
    /// Whether the server speaks TLS: cookies are then marked Secure.
    let secureCookies: Bool
    /// Reads a case's execution records for the case page (each convict's commutations, a link to 减刑假释测算).
    let commutation: CommutationReview

    func register(on routes: SecureRoutes) {
        routes.get("", .open) { _, context in
            try templates.render(try await HomePage.build(store: store, principal: context.principal, csrf: context.csrfToken), "home")
        }
        routes.get("login", .open) { request, context in
            let token = Secrets.token()
            var response = try templates.render(
                LoginPage(error: nil, csrf: token, next: Self.safeNext(request.uri.formParameters["next"].map(String.init))), "login")
                .response(from: request, context: context)
            response.setCookie(cookie(Self.loginCSRFCookie, token, maxAge: 1800))
            return response
        }
        routes.post("login", .open) { request, context in try await signIn(request, context) }
        routes.post("logout", .signedIn) { request, context in
            if let token = context.sessionToken { try await store.closeSession(token: token) }
            if let principal = context.principal {
                try await store.audit(AuditEntry(principal, .signOut, at: context.now.secondsSinceEpoch, address: context.address))
            }
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.setCookie(cookie(AccessMiddleware.sessionCookie, "", maxAge: 0))
            return response
        }
        routes.get("api/v1/me", .signedIn) { _, context in
            let p = context.principal!
            return MeView(name: p.name, kind: p.kind.rawValue, role: p.role?.rawValue, roleName: p.role?.chineseName, agency: p.agency,
                permissions: p.permissions.map(\.rawValue).sorted(), scope: p.scope.chineseDescription, csrfToken: context.csrfToken)
        }
        routes.get("cases/:id", .permission(.readCases)) { _, context in
            let dossier = try await CaseAPI(store: store).visibleDossier(context)
            try await CaseAPI(store: store).audit(context, .readCase, caseID: dossier.summary.id)
            return try await casePage(CaseDetailView(dossier), context)
        }
        routes.post("cases/:id/unmask", .permission(.unmask)) { request, context in
            let reason = try await CaseAPI.reason(request, context)
            let api = CaseAPI(store: store)
            let dossier = try await api.visibleDossier(context)
            try await api.audit(context, .unmask, caseID: dossier.summary.id, reason: reason)
            return try await casePage(CaseDetailView(dossier, masking: MaskingPolicy(unmasked: true)), context).response(from: request, context: context)
        }
        routes.get("api/v1/audit", .permission(.readAudit)) { request, context in
            // A JSON API reads its query as the other APIs do (`+` is not a form's space here).
            let q = request.uri.queryParameters
            let entries = try await store.auditEntries(actor: q["actor"].map(String.init), action: q["action"].flatMap { AuditAction(rawValue: String($0)) },
                caseID: q["case"].map(String.init), limit: try QueryParameters.int(q["limit"], "limit", default: 200, range: 1...5_000))
            try await store.audit(AuditEntry(context.principal!, .readAudit, at: context.now.secondsSinceEpoch, address: context.address))
            return AuditView(entries: entries, signals: try await store.accessSignals(now: context.now.secondsSinceEpoch))
        }
        routes.get("admin/audit", .permission(.readAudit)) { _, context in
            let entries = try await store.auditEntries(limit: 500)
            try await store.audit(AuditEntry(context.principal!, .readAudit, at: context.now.secondsSinceEpoch, address: context.address))
            return try templates.render(AuditPage(entries, signals: try await store.accessSignals(now: context.now.secondsSinceEpoch),
                principal: context.principal!, csrf: context.csrfToken), "audit")
        }
    }

    /// The case page; findings and warnings only for callers who may read them.
    func casePage(_ view: CaseDetailView, _ context: TianpingRequestContext) async throws -> HTML {
        let principal = try context.requirePrincipal()
        let id = view.summary.id
        let readsFindings = principal.can(.readFindings)
        // Explanations may quote what an agency sent: masked unless the caller unmasked the case.
        let maskers = view.persons.contains(where: \.unmasked) ? [id: FreeTextMasker.none] : try await store.freeTextMaskers(forCases: [id])
        let findings = readsFindings
            ? try await store.findings(FindingQuery(status: nil, caseID: id), page: 1, pageSize: 500, scope: principal.scope).items
                .map { $0.masked(maskers) } : []
        let warnings = readsFindings
            ? try await store.warningPage(WarningListQuery(caseID: id), page: 1, pageSize: 50, scope: principal.scope, now: 0).items : []
        let page = CaseWebPage.build(view, timeline: try await store.timelines(for: [id]).first, engine: engine, catalogue: catalogue,
            commutation: commutation, findings: findings, warnings: warnings,
            officials: try await store.officials(view.timeline.compactMap { e in e.officer.map { (e.agency, $0) } }), names: try await directory.names(), principal: principal, csrf: context.csrfToken,
            now: context.now.secondsSinceEpoch)
        return try templates.render(page, "case")
    }

    func cookie(_ name: String, _ value: String, maxAge: Int) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict)
    }

    /// Only a path on this site: never `//host` or `https://…` (an open redirect).
    static func safeNext(_ next: String?) -> String {
        // Printable ASCII only: a browser drops tabs and newlines from a URL, so "/\t/evil" would become "//evil".
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/" }
        return next
    }

    func signIn(_ request: Request, _ context: TianpingRequestContext) async throws -> Response {
        var request = request
        let form = FormFields(try await request.collectBody(upTo: 64 * 1024))
        let now = context.now.secondsSinceEpoch
        let address = context.address ?? "-"
        let next = Self.safeNext(form["next"])
        func page(_ status: HTTPResponse.Status, _ error: String) -> Response {
            let token = Secrets.token()
            let html = (try? templates.render(LoginPage(error: error, csrf: token, next: next), "login")) ?? HTML(HTMLText.escape(error))
            var response = html.response(status: status)
            response.setCookie(cookie(Self.loginCSRFCookie, token, maxAge: 1800))
            return response
        }
        guard let csrf = form["_csrf"], !csrf.isEmpty, csrf == request.cookies[Self.loginCSRFCookie]?.value else {
            return page(.forbidden, "表单已过期或来源不明（CSRF 校验失败），请重新登录")
        }
        guard await throttle.allow(address, now: now) else {
            return page(.tooManyRequests, "该地址登录失败次数过多，请 10 分钟后再试")
        }
        let username = form["username"] ?? ""
        // One status and one message for every failure, so that the answer never says whether the user exists,
        // the account is locked or disabled, or the password was right and only the code was wrong; the store
        // spends one bcrypt on every path, so timing does not say it either. The audit keeps the cause.
        func failed(_ cause: String) async throws -> Response {
            try await store.audit(AuditEntry(at: now, actor: username, actorKind: "anonymous", role: "-", agency: "-",
                action: .signInFailed, reason: cause, address: context.address, outcome: "failed"))
            return page(.unauthorized, Self.signInFailedMessage)
        }
        switch try await store.checkPassword(username: username, password: form["password"] ?? "", now: now) {
        case .failure(.locked):
            return try await failed("账户已锁定")
        case .failure(.disabled):
            return try await failed("账户已停用")
        case .failure:
            return try await failed("用户名或密码错误")
        case .success(let account):
            if let secret = try await store.totpSecret(account.id) {
                let code = Int(form["code"] ?? "") ?? -1
                let totp = TOTP(secret: secret)
                // The step (30 s) whose code matches, one step of clock drift either way; each step is accepted once.
                let step = [-1, 0, 1].map { now / 30 + Int64($0) }
                    .first { totp.compute(date: Date(timeIntervalSince1970: Double($0 * 30))) == code }
                guard let step, try await store.acceptTOTPStep(account.id, step: step) else {
                    let locked = try await store.recordFailedSignIn(account.id, now: now) != nil
                    return try await failed(locked ? "动态验证码错误、已过期或已使用；账户因此锁定" : "动态验证码错误、已过期或已使用")
                }
            }
            try await store.recordSignInSuccess(account.id)
            await throttle.succeeded(address)
            let session = try await store.openSession(accountID: account.id, address: context.address, now: now)
            let principal = try await store.principal(for: account)
            try await store.audit(AuditEntry(principal, .signIn, at: now, address: context.address))
            // Without a page to return to, a supervisor lands on the 驾驶舱, not on the home page of API links.
            let landing = next == "/" && principal.can(.readFindings) ? "/workbench" : next
            var response = Response(status: .seeOther, headers: [.location: landing])
            response.setCookie(cookie(AccessMiddleware.sessionCookie, session.token, maxAge: 8 * 3600))
            response.setCookie(cookie(Self.loginCSRFCookie, "", maxAge: 0))
            return response
        }
    }
}

struct MeView: ResponseEncodable {
    var name: String
    var kind: String
    var role: String?
    var roleName: String?
    var agency: String
    var permissions: [String]
    var scope: String
    var csrfToken: String?
}

struct AuditView: ResponseEncodable {
    var entries: [AuditEntry]
    var signals: [AccessSignal]
}
