import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingRules
import TianpingStore

/// `/api/v1`: findings of every rule family, a case's findings and running clocks, the rule catalogue.
struct FindingAPI: Sendable {
    let store: TianpingStore
    let engine: RuleEngine
    /// Every rule that can raise a finding (procedure pack, sentencing review, ledger audit).
    let catalogue: RuleCatalogue

    func register(on routes: SecureRoutes) {
        routes.get("findings", .permission(.readFindings)) { request, context in
            let page = try await listFindings(request, scope: context.principal?.scope ?? .nothing)
            // Filtering by one case reads that case's findings: audited like the case's own findings page.
            if let caseID = request.uri.queryParameters["case"], let principal = context.principal, page.total > 0 {
                try await store.audit(AuditEntry(principal, .readCaseFindings, at: context.now.secondsSinceEpoch,
                    caseID: String(caseID), address: context.address))
            } else {
                try await AccessAudit.list(store, request, context, count: page.items.count)
            }
            return page
        }
        routes.get("cases/:id/findings", .permission(.readFindings)) { _, context in
            let id = try context.parameters.require("id")
            let result = try await caseFindings(id, scope: context.principal?.scope ?? .nothing, now: context.now)
            if let principal = context.principal {
                try await store.audit(AuditEntry(principal, .readCaseFindings, at: context.now.secondsSinceEpoch, caseID: id,
                    address: context.address))
            }
            return result
        }
        routes.get("rules", .signedIn) { _, context in
            let counts = try await store.openFindingCounts(scope: context.principal?.scope ?? .nothing)
            let packRules = Set(engine.pack.rules.map(\.id))
            let rules = engine.pack.rules.map { RuleView($0, openFindings: counts[$0.id] ?? 0) }
                + catalogue.entries.filter { !packRules.contains($0.id) }.map { RuleView($0, openFindings: counts[$0.id] ?? 0) }
            return RuleCatalogueView(pack: engine.pack.id, version: engine.pack.version, title: engine.pack.title,
                sources: engine.pack.sources, items: rules, total: rules.count)
        }
    }

    func listFindings(_ request: Request, scope: DataScope) async throws -> Page<FindingView> {
        let q = request.uri.queryParameters
        var query = FindingQuery()
        if let v = q["rule"] {
            guard catalogue.contains(String(v)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 rule：规则 \(v) 不存在，规则目录见 /api/v1/rules")
            }
            query.rule = String(v)
        }
        if let v = q["agency"] { query.agency = String(v) }
        if let v = q["case"] { query.caseID = String(v) }
        if let v = q["region"] {
            guard let region = RegionCode(String(v)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 region 应为六位行政区划代码")
            }
            query.region = region
        }
        query.severity = try QueryParameters.choice(q["severity"], "severity", as: Severity.self)
        query.kind = try QueryParameters.choice(q["kind"], "kind", as: FindingKind.self)
        if let v = q["status"] {
            guard ["open", "resolved", "all"].contains(String(v)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 status 应为 open、resolved 或 all")
            }
            query.status = v == "all" ? nil : FindingStatus(rawValue: String(v))
        }
        query.occurredFrom = try QueryParameters.moment(q["from"], "from")
        query.occurredBefore = try QueryParameters.moment(q["to"], "to")
        let page = try QueryParameters.int(q["page"], "page", default: 1, range: 1...1_000_000)
        let size = try QueryParameters.int(q["pageSize"], "pageSize", default: 20, range: 1...500)
        let result = try await store.findings(query, page: page, pageSize: size, scope: scope)
        let maskers = try await store.freeTextMaskers(forCases: result.items.map(\.finding.caseID))
        return result.map { FindingView($0.masked(maskers), rule: catalogue.entry($0.finding.ruleID)) }
    }

    /// Stored findings with their history, and the clocks evaluated at this moment.
    func caseFindings(_ id: String, scope: DataScope, now: Timestamp) async throws -> CaseFindings {
        guard try await store.caseVisible(id, scope: scope) else {
            throw APIFailure(.notFound, code: "case_not_found", message: "案件 \(id) 不存在或不在您的数据权限范围内")
        }
        let stored = try await store.findings(FindingQuery(status: nil, caseID: id), page: 1, pageSize: 500)
        var views: [FindingView] = []
        let maskers = try await store.freeTextMaskers(forCases: [id])
        for s in stored.items {
            var view = FindingView(s.masked(maskers), rule: catalogue.entry(s.finding.ruleID))
            view.history = try await store.findingHistory(s.finding.id).map { FindingChangeView($0.masked(maskers[id] ?? .patterns)) }
            views.append(view)
        }
        let timelines = try await store.timelines(for: [id])
        let clocks = timelines.first.map { engine.evaluate($0, asOf: now).clocks } ?? []
        return CaseFindings(caseID: id, asOf: now.description, findings: views,
            clocks: clocks.map { ClockView($0, rule: catalogue.entry($0.ruleID)) })
    }
}

struct FindingChangeView: Encodable {
    var at: String
    var change: String
    var status: String
    var explanation: String
    var packVersion: String

    init(_ c: FindingChange) {
        at = c.at.description
        change = c.change.rawValue
        status = c.status.rawValue
        explanation = c.explanation
        packVersion = c.packVersion
    }
}

struct FindingView: Encodable {
    var id: String
    var rule: String
    var ruleName: String
    var caseID: String
    var kind: String
    var kindName: String
    var severity: String
    var severityName: String
    var grade: String
    var agency: String?
    var officer: String?
    var events: [String]
    var documents: [String]
    var dueAt: String?
    var actualAt: String?
    var lateness: String?
    var ongoing: Bool
    var occurredAt: String
    var explanation: String
    var citation: String
    var status: String
    var firstDetectedAt: String
    var resolvedAt: String?
    var history: [FindingChangeView]?

    init(_ s: StoredFinding, rule: CatalogueEntry?) {
        let f = s.finding
        id = f.id
        self.rule = f.ruleID
        ruleName = rule?.name ?? f.ruleID
        caseID = f.caseID
        kind = f.kind.rawValue
        kindName = f.kind.chineseName
        severity = f.severity.rawValue
        severityName = f.severity.chineseName
        grade = f.grade.rawValue
        agency = f.agency
        officer = f.officer
        events = f.events
        documents = f.documents
        dueAt = f.dueAt?.description
        actualAt = f.actualAt?.description
        lateness = f.lateness?.chineseText
        ongoing = f.ongoing
        occurredAt = f.occurredAt.description
        explanation = f.explanation
        citation = f.citation
        status = s.status.rawValue
        firstDetectedAt = s.firstDetectedAt.description
        resolvedAt = s.resolvedAt?.description
    }
}

struct ClockView: Encodable {
    var id: String
    var rule: String
    var ruleName: String
    var agency: String?
    var startedAt: String
    var dueAt: String
    var action: String
    var status: String
    var statusName: String
    var colour: String
    var hoursLeft: Int

    init(_ c: RunningClock, rule: CatalogueEntry?) {
        id = c.id
        self.rule = c.ruleID
        ruleName = rule?.name ?? c.ruleID
        agency = c.agency
        startedAt = c.startedAt.description
        dueAt = c.dueAt.description
        action = c.action
        status = c.status.rawValue
        statusName = c.status.chineseName
        colour = c.status.colour
        hoursLeft = Int(c.secondsLeft / 3600)
    }
}

struct CaseFindings: ResponseEncodable {
    var caseID: String
    var asOf: String
    var findings: [FindingView]
    var clocks: [ClockView]
}

struct RuleView: Encodable {
    var id: String
    var name: String
    var description: String
    var citation: String
    var legalBasis: [Citation]
    /// Absent for a rule whose grade each finding carries.
    var grade: String?
    var severity: String
    var kind: String
    var form: String
    var stage: String
    var caseTypes: [String]
    var enabled: Bool
    var note: String?
    var openFindings: Int

    init(_ r: Rule, openFindings: Int) {
        id = r.id
        name = r.name
        description = r.description
        citation = r.citationText
        legalBasis = r.legalBasis
        grade = r.grade.rawValue
        severity = r.severity.rawValue
        kind = r.findingKind.rawValue
        form = r.deadline != nil ? "deadline" : r.precedence != nil ? "precedence" : r.count != nil ? "count"
            : r.documents != nil ? "documents" : r.approval != nil ? "approval" : "signal"
        stage = r.scope.stage
        caseTypes = r.scope.caseTypes.map(\.rawValue)
        enabled = r.enabled
        note = r.note
        self.openFindings = openFindings
    }

    /// A rule of another family (sentencing review, ledger audit): no pack form, stage or structured basis.
    init(_ e: CatalogueEntry, openFindings: Int) {
        id = e.id
        name = e.name
        description = e.description
        citation = e.citation
        legalBasis = []
        grade = e.grade?.rawValue
        severity = e.severity.rawValue
        kind = e.kind.rawValue
        form = e.family.id
        stage = e.family == .sentencing ? "审判" : "存证"
        caseTypes = e.family == .sentencing ? [CaseType.criminal.rawValue] : []
        enabled = true
        note = nil
        self.openFindings = openFindings
    }
}

struct RuleCatalogueView: ResponseEncodable {
    var pack: String
    var version: String
    var title: String
    var sources: [String]
    var items: [RuleView]
    var total: Int
}
