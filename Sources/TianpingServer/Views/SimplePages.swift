import TianpingAccess
import TianpingCore
import TianpingStore

/// The landing page: what the platform is and, for a caller who may see statistics, what it holds in their scope.
struct HomePage {
    struct Count {
        var name: String
        var count: Int
    }

    struct Statistics {
        var cases: Int
        var agencies: Int
        var quarantined: Int
        /// Only for the whole province and administrators (``Principal/seesQuarantine``).
        var showsQuarantine: Bool
        var workbench: Bool
        var types: [Count]
        var stages: [Count]
        var charges: [Count]
    }

    var frame: Frame
    var signedIn: Bool
    var scope: String?
    var statistics: Statistics?

    static func build(store: TianpingStore, principal: Principal?, csrf: String?) async throws -> HomePage {
        var page = HomePage(frame: Frame("执法司法制约监督平台", path: "/", principal: principal, csrf: csrf), signedIn: principal != nil,
            scope: principal?.scope.chineseDescription, statistics: nil)
        guard let principal, principal.can(.readStatistics) else { return page }
        let stats = try await store.statistics(topChargeCount: 10, scope: principal.scope)
        page.statistics = Statistics(
            cases: stats.cases, agencies: stats.agencies, quarantined: principal.seesQuarantine ? stats.openQuarantineByCode.values.reduce(0, +) : 0,
            showsQuarantine: principal.seesQuarantine,
            workbench: principal.can(.readFindings),
            types: CaseType.allCases.map { Count(name: $0.chineseName + "案件", count: stats.casesByType[$0.rawValue] ?? 0) },
            stages: CaseStage.allCases.map { Count(name: $0.chineseName, count: stats.casesByStage[$0.rawValue] ?? 0) },
            charges: stats.topCharges.map { Count(name: $0.name, count: $0.count) })
        return page
    }
}

/// The sign-in form with its double-submit CSRF token and where to go afterwards.
struct LoginPage {
    var frame: Frame
    var csrf: String
    var next: String

    init(error: String?, csrf: String, next: String) {
        frame = Frame("登录", path: "/login", principal: nil, csrf: nil, error: error)
        self.csrf = csrf
        self.next = next
    }
}

/// The access audit for administrators: unusual-access signals and the latest entries.
struct AuditPage {
    struct Entry {
        var at: String
        var actor: String
        var role: String
        var agency: String
        var action: String
        var target: String
        var reason: String
        var address: String
        var outcome: String
    }

    var frame: Frame
    var signals: [AccessSignal]
    var count: Int
    var entries: [Entry]

    /// The stored outcomes (stable English identifiers) as the page says them.
    static let outcomeNames = ["allowed": "允许", "denied": "拒绝", "failed": "失败", "out_of_scope": "超出数据权限", "not_found": "不存在"]

    init(_ entries: [AuditEntry], signals: [AccessSignal], principal: Principal, csrf: String?) {
        frame = Frame("访问审计", path: "/admin/audit", principal: principal, csrf: csrf)
        self.signals = signals
        count = entries.count
        self.entries = entries.map { e in
            Entry(at: ChineseDates.minute(seconds: e.at), actor: e.actor, role: Role(rawValue: e.role)?.chineseName ?? (e.actorKind == "token" ? "接口令牌" : e.role),
                agency: e.agency, action: e.action.chineseName,
                target: [e.caseID.map { "案件 \($0)" }, e.target, e.itemCount.map { "\($0) 条" }].compactMap { $0 }.joined(separator: " · "), reason: e.reason ?? "",
                address: e.address ?? "", outcome: Self.outcomeNames[e.outcome] ?? e.outcome)
        }
    }
}
