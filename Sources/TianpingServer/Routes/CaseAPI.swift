import Foundation
import Hummingbird
import TianpingAccess
import TianpingCore
import TianpingStore

/// `/api/v1`: agencies, cases (list, dossier, unmasking, the party list as CSV) and statistics. Every case query
/// runs in the caller's data scope; a case outside it is answered as not found.
struct CaseAPI: Sendable {
    let store: TianpingStore

    func register(on routes: SecureRoutes) {
        routes.get("agencies", .signedIn) { _, _ in
            let agencies = try await store.agencies()
            return AgencyList(items: agencies.map(AgencyView.init), total: agencies.count)
        }
        routes.get("cases", .permission(.readCases)) { request, context in
            let page = try await listCases(request, scope: try scope(context))
            try await AccessAudit.list(store, request, context, count: page.items.count)
            return page
        }
        routes.get("cases/:id", .permission(.readCases)) { _, context in
            let dossier = try await visibleDossier(context)
            try await audit(context, .readCase, caseID: dossier.summary.id)
            return CaseDetailView(dossier)
        }
        routes.post("cases/:id/unmask", .permission(.unmask)) { request, context in
            let reason = try await Self.reason(request, context)
            let dossier = try await visibleDossier(context)
            try await audit(context, .unmask, caseID: dossier.summary.id, reason: reason)
            return try CaseDetailView(dossier, masking: MaskingPolicy(unmasked: true)).response(from: request, context: context)
        }
        routes.get("cases/:id/persons.csv", .permission(.exportDossiers)) { _, context in
            let dossier = try await visibleDossier(context)
            try await audit(context, .exportList, target: "persons.csv", caseID: dossier.summary.id)
            return CSV.response(PersonsCSV.rows(CaseDetailView(dossier).persons), filename: "persons-\(CSV.safeFilename(dossier.summary.id)).csv")
        }
        routes.get("stats", .permission(.readStatistics)) { _, context in
            var statistics = try await store.statistics(scope: try scope(context))
            // Quarantined lines belong to no case scope: only the whole province (and administrators) see their counts.
            if let principal = context.principal, !principal.seesQuarantine { statistics.openQuarantineByCode = [:] }
            return statistics
        }
    }

    func scope(_ context: TianpingRequestContext) throws -> DataScope {
        let principal = try context.requirePrincipal()
        return principal.scope
    }

    /// The case named in the path, if the caller's scope includes it.
    func visibleDossier(_ context: TianpingRequestContext) async throws -> CaseDossier {
        let id = try context.parameters.require("id")
        guard let dossier = try await store.dossier(caseID: id, scope: try scope(context)) else {
            throw APIFailure(.notFound, code: "case_not_found", message: "案件 \(id) 不存在或不在您的数据权限范围内")
        }
        return dossier
    }

    func audit(_ context: TianpingRequestContext, _ action: AuditAction, target: String? = nil, caseID: String? = nil,
        reason: String? = nil) async throws
    {
        guard let principal = context.principal else { return }
        try await store.audit(AuditEntry(principal, action, at: context.now.secondsSinceEpoch, target: target, caseID: caseID,
            reason: reason, address: context.address))
    }

    /// The stated reason for an unmask, from a JSON body `{"reason": …}` or a form field (``StatedReason``).
    static func reason(_ request: Request, _ context: TianpingRequestContext) async throws -> String {
        try await StatedReason.read(request, context, refusal: "查看脱敏原文须说明理由（4 到 500 个字），理由将记入访问审计")
    }

    func listCases(_ request: Request, scope: DataScope) async throws -> Page<CaseSummaryView> {
        let q = request.uri.queryParameters
        var query = CaseQuery()
        if let t = q["type"] {
            guard let type = CaseType(rawValue: String(t)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter",
                    message: "参数 type 应为 \(CaseType.allCases.map(\.rawValue).joined(separator: "、")) 之一")
            }
            query.type = type
        }
        if let r = q["region"] {
            guard let region = RegionCode(String(r)) else {
                throw APIFailure(.badRequest, code: "invalid_parameter", message: "参数 region 应为六位行政区划代码")
            }
            query.region = region
        }
        if let c = q["charge"], !c.isEmpty { query.charge = String(c) }
        query.acceptedFrom = try QueryParameters.moment(q["from"], "from")
        query.acceptedBefore = try QueryParameters.moment(q["to"], "to")
        let page = try QueryParameters.int(q["page"], "page", default: 1, range: 1...1_000_000)
        let size = try QueryParameters.int(q["pageSize"], "pageSize", default: 20, range: 1...500)
        let result = try await store.cases(query, page: page, pageSize: size, scope: scope)
        // A title may carry a party's name: masked with the listed cases' persons, like the case's own page.
        let maskers = try await store.freeTextMaskers(forCases: result.items.map(\.id))
        return result.map { CaseSummaryView($0, text: maskers[$0.id] ?? .patterns) }
    }
}
